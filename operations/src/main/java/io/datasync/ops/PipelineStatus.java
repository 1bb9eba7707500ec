package io.datasync.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.cdc.ConnectClient;
import io.datasync.cdc.ConnectorStatus;
import io.datasync.cdc.SlotStatus;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.postgres.db.ConnectionSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Asks every part of the pipeline how it is, each question on its own: a service that is down
 * gives a part that says why, never an exception.
 */
final class PipelineStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_NAME = "data-sync-opensearch";

    /** {@code connectMetrics}: Kafka Connect's metrics endpoint (Debezium's snapshot and streaming metrics). */
    record Endpoints(ConnectionSettings postgres, String kafka, String connect, String connectMetrics, String connector, String slot, String openSearch,
                     String flink, int taskManagers, String consumerGroup) {}

    private final SyncSpec spec;
    private final Endpoints at;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final FlinkJobMetrics jobMetrics;
    /** OpenSearch's own client, with its credentials as the job reads them (OPENSEARCH_USERNAME, OPENSEARCH_PASSWORD or _FILE). */
    private final io.datasync.job.sink.OpenSearchHttp openSearch;

    PipelineStatus(SyncSpec spec, Endpoints at) {
        this.spec = spec;
        this.at = at;
        this.jobMetrics = new FlinkJobMetrics(at.flink());
        this.openSearch = new io.datasync.job.sink.OpenSearchHttp(io.datasync.job.sink.OpenSearchSettings.from(at.openSearch(), System.getenv()));
    }

    PipelineSnapshot read() {
        Map<String, String> indexTables = new LinkedHashMap<>();
        for (IndexSpec index : spec.indexes()) {
            indexTables.put(index.name(), index.table());
        }
        return new PipelineSnapshot(System.currentTimeMillis(), indexTables, postgres(), kafka(), connect(), openSearch(), flink());
    }

    private PipelineSnapshot.Postgres postgres() {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection db = at.postgres().connect(); Statement statement = db.createStatement()) {
            for (String table : spec.tables()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            // An index with a filter or on a table with soft deletes holds fewer documents than its table has rows.
            Map<String, Long> expected = new LinkedHashMap<>();
            for (IndexSpec index : spec.indexes()) {
                if (index.filter() != null || spec.softDelete(index.table()) != null) {
                    expected.put(index.name(), io.datasync.verify.ExpectedDocuments.count(db, spec, index));
                }
            }
            SlotStatus slot = SlotStatus.read(db, at.slot()).orElse(null);
            return new PipelineSnapshot.Postgres(at.postgres().jdbcUrl(), counts, expected, at.slot(), slot, null);
        } catch (Exception e) {
            return PipelineSnapshot.Postgres.down(at.postgres().jdbcUrl(), at.slot(), rootMessage(e));
        }
    }

    private PipelineSnapshot.Kafka kafka() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, at.kafka());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(properties)) {
            int brokers = admin.describeCluster().nodes().get().size();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(at.consumerGroup())
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = spec.tables().stream().map(spec::topic)
                    .flatMap(topic -> committed.keySet().stream().filter(p -> p.topic().equals(topic)))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                lag += end.getValue().offset() - committed.get(end.getKey()).offset();
            }
            return new PipelineSnapshot.Kafka(at.kafka(), brokers, at.consumerGroup(), committed.isEmpty() ? null : lag, null);
        } catch (Exception e) {
            return PipelineSnapshot.Kafka.down(at.kafka(), at.consumerGroup(), rootMessage(e));
        }
    }

    private PipelineSnapshot.Connect connect() {
        try {
            ConnectorStatus status = new ConnectClient(at.connect()).status(at.connector()).orElse(null);
            return new PipelineSnapshot.Connect(at.connect(), at.connector(), status, debezium(), null);
        } catch (Exception e) {
            return PipelineSnapshot.Connect.down(at.connect(), at.connector(), rootMessage(e));
        }
    }

    /** Null when Connect's metrics endpoint does not answer (started without it, or not yet). */
    private PipelineSnapshot.Debezium debezium() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(at.connectMetrics())).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? DebeziumMetrics.parse(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private PipelineSnapshot.OpenSearch openSearch() {
        Map<String, Long> documents = new LinkedHashMap<>();
        try {
            String health = openSearch("/_cluster/health").path("status").asText();
            for (IndexSpec index : spec.indexes()) {
                JsonNode count = openSearch("/" + index.name() + "/_count");
                if (count.has("count")) {
                    documents.put(index.name(), count.get("count").asLong());
                }
            }
            long rejected = 0;
            for (JsonNode node : openSearch("/_nodes/stats/thread_pool?filter_path=nodes.*.thread_pool.write.rejected").path("nodes")) {
                rejected += node.path("thread_pool").path("write").path("rejected").asLong();
            }
            return new PipelineSnapshot.OpenSearch(at.openSearch(), health, documents, rejected, null);
        } catch (Exception e) {
            return PipelineSnapshot.OpenSearch.down(at.openSearch(), rootMessage(e));
        }
    }

    private PipelineSnapshot.Flink flink() {
        JsonNode overview;
        try {
            overview = get(at.flink() + "/overview");
        } catch (Exception e) {
            return PipelineSnapshot.Flink.down(at.flink(), rootMessage(e));
        }
        return new PipelineSnapshot.Flink(at.flink(), overview.path("taskmanagers").asInt(), at.taskManagers(), overview.path("slots-available").asInt(),
                overview.path("slots-total").asInt(), job(), null);
    }

    private PipelineSnapshot.Job job() {
        JsonNode job = null;
        try {
            for (JsonNode candidate : get(at.flink() + "/jobs/overview").path("jobs")) {
                if (JOB_NAME.equals(candidate.path("name").asText())
                        && (job == null || candidate.path("start-time").asLong() > job.path("start-time").asLong())) {
                    job = candidate;
                }
            }
            if (job == null) {
                return null;
            }
            JsonNode tasks = job.path("tasks");
            JsonNode completed = get(at.flink() + "/jobs/" + job.path("jid").asText() + "/checkpoints").path("latest").path("completed");
            PipelineSnapshot.Checkpoint checkpoint = completed.isObject()
                    ? new PipelineSnapshot.Checkpoint(completed.path("id").asLong(), completed.path("latest_ack_timestamp").asLong(),
                            completed.path("state_size").asLong(), completed.path("end_to_end_duration").asLong())
                    : null;
            // The task counts from the same reading as the operators' (Flink's job details are cached for a few seconds,
            // its overview is not): the page must not say "all running" above an operator still restoring.
            java.util.List<PipelineSnapshot.Operator> operators = operators(job.path("jid").asText());
            int total = tasks.path("total").asInt();
            int running = tasks.path("running").asInt();
            int restoring = tasks.path("initializing").asInt();
            if (!operators.isEmpty()) {
                total = operators.stream().mapToInt(PipelineSnapshot.Operator::parallelism).sum();
                running = operators.stream().mapToInt(PipelineSnapshot.Operator::running).sum();
                restoring = operators.stream().mapToInt(PipelineSnapshot.Operator::restoring).sum();
            }
            return new PipelineSnapshot.Job(job.path("jid").asText(), job.path("state").asText(), total, running, restoring, checkpoint,
                    figures(job.path("jid").asText()), null, operators);
        } catch (Exception e) {
            return job == null ? new PipelineSnapshot.Job("", "UNKNOWN", 0, 0, 0, null, null, rootMessage(e))
                    : new PipelineSnapshot.Job(job.path("jid").asText(), job.path("state").asText(), 0, 0, 0, null, null, rootMessage(e));
        }
    }

    /** The job's vertices, in its order: subtasks running and restoring. */
    private java.util.List<PipelineSnapshot.Operator> operators(String jobId) throws Exception {
        java.util.List<PipelineSnapshot.Operator> operators = new java.util.ArrayList<>();
        for (JsonNode vertex : get(at.flink() + "/jobs/" + jobId).path("vertices")) {
            JsonNode tasks = vertex.path("tasks");
            operators.add(new PipelineSnapshot.Operator(vertex.path("name").asText(), vertex.path("parallelism").asInt(),
                    tasks.path("RUNNING").asInt(), tasks.path("INITIALIZING").asInt()));
        }
        return operators;
    }

    /** The job's own metrics; null when Flink cannot give them (a job that is not running has none). */
    private PipelineSnapshot.Figures figures(String jobId) {
        try {
            Map<String, FlinkJobMetrics.Aggregate> metrics = jobMetrics.read(jobId, java.util.Set.of("eventsIn", "documentsWritten", "eventsDeadLettered",
                    "documentsDeadLettered", "versionConflicts", "pendingRecords", "commitToWrittenMillis", "snapshotDocumentsHeld", "snapshotDocumentsToRelease"));
            FlinkJobMetrics.Aggregate events = metrics.get("eventsDeadLettered");
            FlinkJobMetrics.Aggregate documents = metrics.get("documentsDeadLettered");
            Double deadLetters = events == null && documents == null ? null
                    : (events == null ? 0 : events.sum()) + (documents == null ? 0 : documents.sum());
            FlinkJobMetrics.Aggregate commitToWritten = metrics.get("commitToWrittenMillis");
            return new PipelineSnapshot.Figures(sum(metrics, "eventsIn"), sum(metrics, "documentsWritten"), deadLetters, sum(metrics, "versionConflicts"),
                    commitToWritten == null ? null : commitToWritten.max(), sum(metrics, "pendingRecords"), sum(metrics, "snapshotDocumentsHeld"),
                    sum(metrics, "snapshotDocumentsToRelease"));
        } catch (Exception e) {
            return null;
        }
    }

    private static Double sum(Map<String, FlinkJobMetrics.Aggregate> metrics, String name) {
        FlinkJobMetrics.Aggregate metric = metrics.get(name);
        return metric == null ? null : metric.sum();
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** An OpenSearch GET; any status (a missing index answers 404 with a body that has no count). */
    private JsonNode openSearch(String path) throws Exception {
        return JSON.readTree(openSearch.send("GET", path, null).body());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
