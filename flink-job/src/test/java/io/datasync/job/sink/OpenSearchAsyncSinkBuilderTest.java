package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenSearchAsyncSinkBuilderTest {
    private static final OpenSearchSettings OPENSEARCH = OpenSearchSettings.from("http://127.0.0.1:9200",
            Map.of("OPENSEARCH_USERNAME", "admin", "OPENSEARCH_PASSWORD", "s3cret"));

    @Test
    void theDefaultsBuildASinkThatTravelsWithTheJobGraphWithoutShowingThePassword() throws Exception {
        OpenSearchAsyncSink sink = builder().build();

        OpenSearchAsyncSink copy = InstantiationUtil.clone(sink, getClass().getClassLoader());

        assertThat(copy).isNotNull();
        assertThat(Endpoint.of(OPENSEARCH).toString()).isEqualTo("http://127.0.0.1:9200 as admin").doesNotContain("s3cret");
    }

    static Stream<Arguments> wrongSettings() {
        return Stream.of(
                wrong(b -> b.maxBatchActions(0), "maxBatchActions must be at least 1, got 0"),
                wrong(b -> b.maxBatchBytes(10), "maxBatchBytes must be between 1 KiB and 100 MiB"),
                wrong(b -> b.maxBatchBytes(200L * 1024 * 1024), "maxBatchBytes must be between 1 KiB and 100 MiB"),
                wrong(b -> b.maxTimeInBuffer(Duration.ZERO), "maxTimeInBuffer must be at least 1 ms, got PT0S"),
                wrong(b -> b.maxTimeInBuffer(null), "maxTimeInBuffer must be at least 1 ms, got null"),
                wrong(b -> b.maxTimeInBuffer(Duration.ofSeconds(10)), "maxTimeInBuffer must be below 10 s, got PT10S"),
                wrong(b -> b.maxInFlightRequests(0), "maxInFlightRequests must be at least 1, got 0"),
                wrong(b -> b.maxBufferedActions(2_000), "maxBufferedActions must be greater than maxBatchActions (2000), got 2000"),
                wrong(b -> b.maxAttempts(0), "maxAttempts must be at least 1, got 0"),
                wrong(b -> b.initialBackoff(Duration.ofMillis(-5)), "initialBackoff must be at least 1 ms"),
                wrong(b -> b.initialBackoff(Duration.ofSeconds(10)), "maxBackoff must be at least initialBackoff (PT10S), got PT5S"),
                wrong(b -> b.maxRetryTime(Duration.ofSeconds(60)), "maxRetryTime must be below PT1M (OpenSearch's index.gc_deletes"),
                wrong(b -> b.requestTimeout(Duration.ZERO), "requestTimeout must be at least 1 ms"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("wrongSettings")
    void aWrongSettingFailsTheBuildNamingIt(UnaryOperator<OpenSearchAsyncSinkBuilder> setting, String message) {
        assertThatThrownBy(() -> setting.apply(builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theDeadLetterTopicAndKafkaAreRequired() {
        assertThatThrownBy(() -> OpenSearchAsyncSink.builder(OPENSEARCH, " ", "dlq").build()).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> OpenSearchAsyncSink.builder(OPENSEARCH, "127.0.0.1:9092", null).build())
                .hasMessageContaining("deadLetterTopic");
    }

    @Test
    void theBufferFollowsTheBatchSizeUnlessSet() {
        assertThat(builder().maxBatchActions(5_000).maxInFlightRequests(3).build()).isNotNull(); // 20,000 buffered by default
        assertThat(builder().maxBatchActions(10).maxBufferedActions(11).build()).isNotNull();
    }

    private static Arguments wrong(UnaryOperator<OpenSearchAsyncSinkBuilder> setting, String message) {
        return Arguments.of(setting, message);
    }

    private static OpenSearchAsyncSinkBuilder builder() {
        return OpenSearchAsyncSink.builder(OPENSEARCH, "127.0.0.1:9092", "dbserver.dlq");
    }
}
