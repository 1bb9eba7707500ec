package io.datasync.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.cdc.ConnectClient;
import io.datasync.cdc.ConnectorStatus;
import io.datasync.cdc.SlotStatus;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.ops.StatusTable.Row;
import io.datasync.postgres.db.ConnectionSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Asks every part of the pipeline how it is, each question on its own: a service that is down
 * gives a "down" row, never an exception.
 */
final class PipelineStatus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_NAME = "data-sync-opensearch";

    record Endpoints(ConnectionSettings postgres, String kafka, String connect, String connector, String slot, String openSearch,
                     String flink, String consumerGroup) {}

    private final SyncSpec spec;
    private final Endpoints at;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    PipelineStatus(SyncSpec spec, Endpoints at) {
        this.spec = spec;
        this.at = at;
    }

    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        Map<String, Long> tableRows = postgres(rows);
        kafka(rows);
        connect(rows);
        Map<String, Long> documents = openSearch(rows);
        flink(rows);
        for (IndexSpec index : spec.indexes()) {
            Long expected = tableRows.get(index.table());
            Long found = documents.get(index.name());
            if (expected != null && found != null) {
                rows.add(new Row(index.name(), expected.equals(found) ? "in step" : "behind",
                        StatusTable.counts(expected, found) + " (" + index.table() + "; make verify compares every field)", true));
            }
        }
        return rows;
    }

    private Map<String, Long> postgres(List<Row> rows) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        try (Connection db = at.postgres().connect(); Statement statement = db.createStatement()) {
            for (String table : spec.tables()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            rows.add(Row.ok("postgres", "up", at.postgres().jdbcUrl() + ", " + counts.entrySet().stream()
                    .map(e -> String.format("%s %,d", e.getKey(), e.getValue())).collect(Collectors.joining(" · "))));
            Optional<SlotStatus> slot = SlotStatus.read(db, at.slot());
            rows.add(slot.map(s -> new Row("replication slot", s.keepsChanges() ? (s.active() ? "active" : "inactive") : s.walStatus(),
                            s.name() + ", lag " + String.format("%,d", s.lagBytes()) + " bytes, " + s.walAdvice(), s.active() && s.keepsChanges()))
                    .orElse(Row.bad("replication slot", "missing", at.slot() + " does not exist (make start-cdc creates it)")));
        } catch (Exception e) {
            rows.add(Row.bad("postgres", "down", at.postgres().jdbcUrl() + ": " + e.getMessage()));
        }
        return counts;
    }

    private void kafka(List<Row> rows) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, at.kafka());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(properties)) {
            int brokers = admin.describeCluster().nodes().get().size();
            rows.add(Row.ok("kafka", "up", at.kafka() + ", " + brokers + " broker(s)"));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(at.consumerGroup())
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = spec.tables().stream().map(spec::topic)
                    .flatMap(topic -> committed.keySet().stream().filter(p -> p.topic().equals(topic)))
                    .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                lag += end.getValue().offset() - committed.get(end.getKey()).offset();
            }
            rows.add(committed.isEmpty()
                    ? Row.ok("job's Kafka lag", "none yet", "group " + at.consumerGroup() + " has committed no offsets (they are committed on checkpoints)")
                    : Row.ok("job's Kafka lag", String.format("%,d", lag), "records not yet in a checkpoint of group " + at.consumerGroup()));
        } catch (Exception e) {
            rows.add(Row.bad("kafka", "down", at.kafka() + ": " + rootMessage(e)));
        }
    }

    private void connect(List<Row> rows) {
        try {
            Optional<ConnectorStatus> status = new ConnectClient(at.connect()).status(at.connector());
            if (status.isEmpty()) {
                rows.add(Row.bad("connect", "up", at.connect() + ", connector " + at.connector() + " not registered (make start-cdc)"));
                return;
            }
            ConnectorStatus connector = status.get();
            String tasks = connector.tasks().stream().map(t -> "task " + t.id() + " " + t.state()).collect(Collectors.joining(", "));
            rows.add(new Row("connect", "up", at.connect() + ", connector " + connector.name() + " " + connector.state()
                    + (tasks.isEmpty() ? ", no tasks" : ", " + tasks), connector.running()));
        } catch (Exception e) {
            rows.add(Row.bad("connect", "down", at.connect() + ": " + rootMessage(e)));
        }
    }

    private Map<String, Long> openSearch(List<Row> rows) {
        Map<String, Long> documents = new java.util.LinkedHashMap<>();
        try {
            String health = get(at.openSearch() + "/_cluster/health").path("status").asText();
            for (IndexSpec index : spec.indexes()) {
                JsonNode count = get(at.openSearch() + "/" + index.name() + "/_count");
                if (count.has("count")) {
                    documents.put(index.name(), count.get("count").asLong());
                }
            }
            rows.add(new Row("opensearch", "up", at.openSearch() + ", cluster " + health + (documents.isEmpty() ? ", no indexes yet" : ""),
                    !"red".equals(health)));
        } catch (Exception e) {
            rows.add(Row.bad("opensearch", "down", at.openSearch() + ": " + rootMessage(e)));
        }
        return documents;
    }

    private void flink(List<Row> rows) {
        try {
            JsonNode overview = get(at.flink() + "/overview");
            rows.add(new Row("flink", "up", at.flink() + ", " + overview.path("taskmanagers").asInt() + " TaskManager(s), "
                    + overview.path("slots-available").asInt() + "/" + overview.path("slots-total").asInt() + " slots free",
                    overview.path("taskmanagers").asInt() > 0));
        } catch (Exception e) {
            rows.add(Row.bad("flink", "down", at.flink() + ": " + rootMessage(e)));
            rows.add(Row.bad("job", "down", "no Flink cluster"));
            return;
        }
        try {
            JsonNode job = null;
            for (JsonNode candidate : get(at.flink() + "/jobs/overview").path("jobs")) {
                if (JOB_NAME.equals(candidate.path("name").asText())
                        && (job == null || candidate.path("start-time").asLong() > job.path("start-time").asLong())) {
                    job = candidate;
                }
            }
            if (job == null) {
                rows.add(Row.bad("job", "not submitted", "make run-job"));
                return;
            }
            String state = job.path("state").asText();
            String id = job.path("jid").asText();
            JsonNode completed = get(at.flink() + "/jobs/" + id + "/checkpoints").path("latest").path("completed");
            String checkpoint = completed.isObject()
                    ? "last checkpoint #" + completed.path("id").asLong() + " " + StatusTable.age(System.currentTimeMillis()
                            - completed.path("latest_ack_timestamp").asLong()) + String.format(" (%,d MB)", completed.path("state_size").asLong() >> 20)
                    : "no checkpoint yet";
            rows.add(new Row("job", state, id + ", " + checkpoint, "RUNNING".equals(state)));
        } catch (Exception e) {
            rows.add(Row.bad("job", "unknown", rootMessage(e)));
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
