package io.datasync.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.decode.RawRecord;
import io.datasync.job.sink.OpenSearchSettings;
import io.datasync.job.spec.SyncSpecParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** Issue 13: no value on the data path goes through Kryo, neither on an exchange nor as a key. */
class NoKryoTest {
    @Test
    void theJobRunsWithGenericTypesDisabled() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job().configure(env);

        // A type without a serializer of its own would now fail the job instead of falling back to Kryo.
        assertThat(env.getConfig().hasGenericTypesDisabled()).isTrue();
    }

    @Test
    void everyExchangeAndKeyOfTheDataPathHasItsOwnSerializer() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SyncJob job = job();
        job.configure(env);
        SyncJob.DataPath path = job.dataPath(env.addSource(new FixtureSource(List.of()), "Fixture events", new RawRecord.Info().info()));
        path.writes().addSink(new DiscardingSink<>());
        path.deadLetters().addSink(new DiscardingSink<>());

        StreamGraph graph = env.getStreamGraph();
        List<String> serializers = new ArrayList<>();
        List<String> keyed = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getStateKeySerializer() != null) {
                keyed.add(node.getOperatorName());
            }
            Stream.concat(Stream.of(node.getTypeSerializersIn()), Stream.of(node.getTypeSerializerOut(), node.getStateKeySerializer()))
                    .filter(serializer -> serializer != null)
                    .forEach(serializer -> serializers.add(node.getOperatorName() + ": " + describe(serializer)));
        }

        assertThat(serializers).as("the data path's operators and their serializers").hasSizeGreaterThan(10)
                .noneMatch(serializer -> serializer.contains(KryoSerializer.class.getSimpleName()));
        assertThat(keyed).as("operators with keyed state").contains("Assemble documents", "Lookups and aggregates");
    }

    private static String describe(TypeSerializer<?> serializer) {
        return serializer.getClass().getSimpleName() + " " + serializer;
    }

    private static SyncJob job() {
        return new SyncJob(SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC), JobOptions.parse("--spec", SyncSpecParser.DEFAULT_SPEC),
                OpenSearchSettings.from("http://127.0.0.1:9200", Map.of()));
    }
}
