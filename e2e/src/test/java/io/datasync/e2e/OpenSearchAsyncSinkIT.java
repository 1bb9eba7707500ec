package io.datasync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.e2e.FlakyOpenSearch.Fault;
import io.datasync.job.SyncJob;
import io.datasync.job.sink.DocumentWrite;
import io.datasync.job.sink.OpenSearchAsyncSink;
import io.datasync.job.sink.OpenSearchAsyncSinkBuilder;
import io.datasync.job.sink.OpenSearchSettings;
import io.datasync.testing.ChangeEvent;
import io.datasync.testing.TestStack;
import io.datasync.testing.TestStack.Service;
import io.datasync.testing.TopicReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The async OpenSearch sink on a Flink MiniCluster (parallelism 2, checkpoints every 200 ms)
 * against a real OpenSearch and Kafka: a few thousand versioned writes, shuffled so that older
 * versions often come after newer ones and spread over both subtasks and concurrent bulks; one
 * document violates the index's strict mapping. OpenSearch must end up holding exactly the highest
 * version of every id, and the rejected document must be on the dead-letter topic with its reason.
 */
class OpenSearchAsyncSinkIT {
    static final TestStack STACK = TestStack.create("async-sink");
    static final String DEAD_LETTERS = "sink-it.dlq";
    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static MiniCluster flink;

    @BeforeAll
    static void start() throws Exception {
        STACK.start(Service.KAFKA, Service.OPENSEARCH);
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, STACK.kafkaBootstrap());
        try (Admin kafka = Admin.create(admin)) {
            kafka.createTopics(List.of(new NewTopic(DEAD_LETTERS, 1, (short) 1))).all().get();
        }
        // The job's own loopback settings (its changelog folder goes unused: this test's job keeps no keyed state).
        Configuration configuration = SyncJob.inProcessCluster(Files.createTempDirectory("async-sink-changelog").toUri().toString());
        configuration.setString("rest.bind-port", "0");
        configuration.setString("restart-strategy.type", "none"); // a failure must fail the test, not loop in restarts
        flink = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(METRICS.addToConfiguration(configuration))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        flink.start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (flink != null) {
                flink.close();
            }
        } finally {
            STACK.close();
        }
    }

    @Test
    void everyIdEndsAtItsHighestVersionAndTheDocumentTheMappingRejectsIsDeadLettered() throws Exception {
        String index = createIndex("exact");
        VersionedWrites writes = VersionedWrites.generate("exact", index, 1_500, 42);

        JobExecutionResult result = run(writes.writes(), sink(STACK.openSearchUrl()).build());

        assertExactly(index, writes);
        assertDeadLettered(writes.rejected());
        long written = sum(result, "documentsWritten");
        long conflicts = sum(result, "versionConflicts");
        long superseded = sum(result, "documentsSuperseded");
        assertThat(sum(result, "documentsDeadLettered")).isEqualTo(1);
        assertThat(written + conflicts + superseded).as("every other write either landed, lost to a newer version or was left out of"
                + " a bulk that held a newer one").isEqualTo(writes.writes().size() - 1);
        assertThat(superseded).as("versions of one id shuffled into one bulk: only the newest is sent").isPositive();
        assertThat(METRICS.findMetrics(result.getJobID(), "\\.commitToWrittenMillis$")).hasSize(2);
    }

    @Test
    void throttledAndUnavailableBulksAreSentAgainUntilEveryActionHasLanded() throws Exception {
        String index = createIndex("flaky");
        VersionedWrites writes = VersionedWrites.generate("flaky", index, 1_000, 7);
        // Of the first twelve bulk requests, three each refused whole (503), throttled whole (429) and throttled every other action:
        // nine faults, so no action fails the ten times that would fail the job.
        Fault[] cycle = {Fault.WHOLE_503, Fault.NONE, Fault.ODD_ITEMS_429, Fault.WHOLE_429};
        try (FlakyOpenSearch proxy = new FlakyOpenSearch(STACK.openSearchUrl(), n -> n < 12 ? cycle[n % cycle.length] : Fault.NONE)) {
            OpenSearchAsyncSink sink = sink(proxy.url()).maxBatchActions(200).initialBackoff(Duration.ofMillis(20)).build();

            JobExecutionResult result = run(writes.writes(), sink);

            assertThat(proxy.faultsInjected()).isEqualTo(9);
            assertExactly(index, writes);
            assertDeadLettered(writes.rejected());
            assertThat(sum(result, "documentsWritten") + sum(result, "versionConflicts") + sum(result, "documentsSuperseded"))
                    .isEqualTo(writes.writes().size() - 1);
        }
    }

    @Test
    void whenRetriesRunOutTheJobFailsNamingTheDocument() throws Exception {
        String index = createIndex("down");
        List<DocumentWrite> writes = VersionedWrites.generate("down", index, 5, 3).writes();
        try (FlakyOpenSearch proxy = new FlakyOpenSearch(STACK.openSearchUrl(), n -> Fault.WHOLE_503)) {
            OpenSearchAsyncSink sink = sink(proxy.url()).initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(200))
                    .maxRetryTime(Duration.ofSeconds(3)).build();

            assertThatThrownBy(() -> run(writes, sink)).satisfies(failure -> {
                Throwable cause = ExceptionUtils.findThrowableWithMessage(failure, "giving up on")
                        .orElseThrow(() -> new AssertionError(failure));
                assertThat(cause.getMessage()).contains(index + "/").contains("(correlationId=down:").contains("HTTP 503")
                        .contains("maxRetryTime 3000 ms");
            });
            assertThat(proxy.faultsInjected()).isGreaterThan(3);
        }
    }

    @Test
    void aCrashMidStreamLosesNoneOfTheActionsTheSinkHadBufferedOrInFlight() throws Exception {
        String index = createIndex("crash");
        VersionedWrites writes = VersionedWrites.generate("crash", index, 1_500, 11);
        CrashOnce.arm(writes.writes().size() / 2);
        // Actions wait in the buffer for up to 5 s, so the checkpoints the job restarts from hold some.
        OpenSearchAsyncSink sink = sink(STACK.openSearchUrl()).maxBatchActions(300).maxTimeInBuffer(Duration.ofSeconds(5)).build();
        StreamExecutionEnvironment env = new TestStreamEnvironment(flink, 2);
        env.enableCheckpointing(200);
        Configuration restartOnce = new Configuration();
        restartOnce.setString("restart-strategy.type", "fixed-delay");
        restartOnce.setString("restart-strategy.fixed-delay.attempts", "1");
        restartOnce.setString("restart-strategy.fixed-delay.delay", "100 ms");
        env.configure(restartOnce);
        env.fromData(writes.writes()).name("Writes").rebalance().map(new CrashOnce()).name("Crash once").sinkTo(sink).name("OpenSearch");

        env.execute("async sink IT, crash");

        assertThat(CrashOnce.CRASHED).as("the job crashed after a checkpoint").isTrue();
        assertExactly(index, writes);
        // At least once: a dead letter sent after the checkpoint may be sent again after the restart.
        assertDeadLettered(writes.rejected(), false);
    }

    /** Crashes its task once, after a checkpoint has completed and half the writes have passed; slow enough for checkpoints mid-stream. */
    static final class CrashOnce implements MapFunction<DocumentWrite, DocumentWrite>, CheckpointListener {
        static final AtomicBoolean CRASHED = new AtomicBoolean();
        static final AtomicInteger CHECKPOINTS = new AtomicInteger();
        static final AtomicInteger SEEN = new AtomicInteger();
        static volatile int crashAfter;

        static void arm(int writes) {
            CRASHED.set(false);
            CHECKPOINTS.set(0);
            SEEN.set(0);
            crashAfter = writes;
        }

        @Override
        public DocumentWrite map(DocumentWrite write) throws Exception {
            Thread.sleep(1);
            if (SEEN.incrementAndGet() >= crashAfter && CHECKPOINTS.get() > 0 && CRASHED.compareAndSet(false, true)) {
                throw new IllegalStateException("crash injected by the test");
            }
            return write;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }

    private static OpenSearchAsyncSinkBuilder sink(String url) {
        return OpenSearchAsyncSink.builder(OpenSearchSettings.from(url, Map.of()), STACK.kafkaBootstrap(), DEAD_LETTERS);
    }

    private static JobExecutionResult run(List<DocumentWrite> writes, OpenSearchAsyncSink sink) throws Exception {
        StreamExecutionEnvironment env = new TestStreamEnvironment(flink, 2);
        env.enableCheckpointing(200);
        env.fromData(writes).name("Writes").rebalance().sinkTo(sink).name("OpenSearch").uid("opensearch-sink");
        return env.execute("async sink IT");
    }

    /** A concrete index with the strict mapping and its alias; the creation is checked (a failed one would let bulk auto-create it). */
    private static String createIndex(String alias) throws Exception {
        String index = alias + "_v1";
        HttpResponse<String> created = send("PUT", "/" + index, VersionedWrites.MAPPING);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String aliasAction = "{\"actions\":[{\"add\":{\"index\":\"" + index + "\",\"alias\":\"" + alias + "\"}}]}";
        HttpResponse<String> aliased = send("POST", "/_aliases", aliasAction);
        assertThat(aliased.statusCode()).as(aliased.body()).isEqualTo(200);
        return index;
    }

    /** Every id as expected: absent, or its highest version's document at that version; nothing else in the index. */
    private static void assertExactly(String index, VersionedWrites writes) throws Exception {
        assertThat(send("POST", "/" + index + "/_refresh", null).statusCode()).isEqualTo(200);
        String everything = "{\"size\":10000,\"version\":true,\"query\":{\"match_all\":{}}}";
        JsonNode hits = JSON.readTree(send("POST", "/" + index + "/_search", everything).body()).path("hits");
        Map<String, JsonNode> found = new HashMap<>();
        hits.path("hits").forEach(hit -> found.put(hit.path("_id").asText(), hit));
        assertThat(hits.path("total").path("value").asLong()).isEqualTo(writes.present());
        writes.expected().forEach((id, expected) -> {
            if (expected.source() == null) {
                assertThat(found).as("deleted or rejected id %s", id).doesNotContainKey(id);
            } else {
                assertThat(found).as("id %s", id).containsKey(id);
                assertThat(found.get(id).path("_version").asLong()).as("version of %s", id).isEqualTo(expected.version());
                assertThat(found.get(id).path("_source")).as("document %s", id).isEqualTo(readTree(expected.source()));
            }
        });
    }

    private static void assertDeadLettered(DocumentWrite rejected) {
        assertDeadLettered(rejected, true);
    }

    private static void assertDeadLettered(DocumentWrite rejected, boolean once) {
        try (TopicReader deadLetters = new TopicReader(STACK.kafkaBootstrap(), List.of(DEAD_LETTERS))) {
            List<ChangeEvent> events = deadLetters.awaitUntil(read -> read.stream().anyMatch(e -> e.value().contains(rejected.index())),
                    Duration.ofSeconds(30), "the dead letter of " + rejected.correlationId());
            JsonNode letter = events.stream().map(e -> readTree(e.value()))
                    .filter(json -> json.path("topic").asText().equals(rejected.index()))
                    .findFirst().orElseThrow();
            assertThat(letter.path("stage").asText()).isEqualTo("opensearch");
            assertThat(letter.path("reason").asText())
                    .contains("HTTP 400").contains("strict_dynamic_mapping_exception").contains("[surprise]");
            assertThat(letter.path("key").asText()).isEqualTo(rejected.id());
            assertThat(letter.path("value").asText()).isEqualTo(new String(rejected.source(), StandardCharsets.UTF_8));
            assertThat(letter.path("correlation_id").asText()).isEqualTo(rejected.correlationId());
            if (once) {
                assertThat(events.stream().filter(e -> e.value().contains("\"topic\":\"" + rejected.index() + "\""))).hasSize(1);
            }
        }
    }

    /** A counter of the sink summed over both subtasks, as the job left it. */
    private static long sum(JobExecutionResult result, String metric) {
        Map<String, Metric> found = METRICS.findMetrics(result.getJobID(), "\\." + metric + "$");
        assertThat(found).as("metric %s per subtask", metric).hasSize(2);
        return found.values().stream().mapToLong(m -> ((Counter) m).getCount()).sum();
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(STACK.openSearchUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(json, e);
        }
    }
}
