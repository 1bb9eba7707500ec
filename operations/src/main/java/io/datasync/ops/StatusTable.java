package io.datasync.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasync.cdc.ConnectorStatus;
import io.datasync.cdc.SlotStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Pure: the status rows as an aligned text table or JSON, and whether the pipeline is whole. */
public final class StatusTable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusTable() {}

    /** One line of {@code make status}: a component, its state in a word, the details. */
    public record Row(String component, String state, String detail, boolean healthy) {
        static Row ok(String component, String state, String detail) {
            return new Row(component, state, detail, true);
        }

        static Row bad(String component, String state, String detail) {
            return new Row(component, state, detail, false);
        }
    }

    public static String render(List<Row> rows) {
        int component = "component".length();
        int state = "state".length();
        for (Row row : rows) {
            component = Math.max(component, row.component().length());
            state = Math.max(state, row.state().length());
        }
        String format = "%-" + component + "s  %-" + state + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "component", "state", "detail"));
        for (Row row : rows) {
            out.append(String.format(format, row.component(), row.state(), row.detail()));
        }
        return out.toString();
    }

    /** The table's rows, one per part of the pipeline and one per index, in the order the data flows. */
    public static List<Row> rows(PipelineSnapshot snapshot) {
        List<Row> rows = new ArrayList<>();
        PipelineSnapshot.Postgres postgres = snapshot.postgres();
        if (postgres.error() != null) {
            rows.add(Row.bad("postgres", "down", postgres.url() + ": " + postgres.error()));
        } else {
            rows.add(Row.ok("postgres", "up", postgres.url() + ", " + postgres.tableRows().entrySet().stream()
                    .map(e -> String.format("%s %,d", e.getKey(), e.getValue())).collect(Collectors.joining(" · "))));
            SlotStatus slot = postgres.slot();
            rows.add(slot == null
                    ? Row.bad("replication slot", "missing", postgres.slotName() + " does not exist (make start-cdc creates it)")
                    : new Row("replication slot", slot.keepsChanges() ? (slot.active() ? "active" : "inactive") : slot.walStatus(),
                            slot.name() + ", lag " + String.format("%,d", slot.lagBytes()) + " bytes, " + slot.walAdvice(), slot.active() && slot.keepsChanges()));
        }
        PipelineSnapshot.Kafka kafka = snapshot.kafka();
        if (kafka.error() != null) {
            rows.add(Row.bad("kafka", "down", kafka.bootstrap() + ": " + kafka.error()));
        } else {
            rows.add(Row.ok("kafka", "up", kafka.bootstrap() + ", " + kafka.brokers() + " broker(s)"));
            rows.add(kafka.jobLag() == null
                    ? Row.ok("job's Kafka lag", "none yet", "group " + kafka.consumerGroup() + " has committed no offsets (they are committed on checkpoints)")
                    : Row.ok("job's Kafka lag", String.format("%,d", kafka.jobLag()), "records not yet in a checkpoint of group " + kafka.consumerGroup()));
        }
        PipelineSnapshot.Connect connect = snapshot.connect();
        if (connect.error() != null) {
            rows.add(Row.bad("connect", "down", connect.url() + ": " + connect.error()));
        } else if (connect.connector() == null) {
            rows.add(Row.bad("connect", "up", connect.url() + ", connector " + connect.connectorName() + " not registered (make start-cdc)"));
        } else {
            ConnectorStatus connector = connect.connector();
            String tasks = connector.tasks().stream().map(t -> "task " + t.id() + " " + t.state()).collect(Collectors.joining(", "));
            rows.add(new Row("connect", "up", connect.url() + ", connector " + connector.name() + " " + connector.state()
                    + (tasks.isEmpty() ? ", no tasks" : ", " + tasks) + debezium(connect.debezium(), snapshot.postgres().tableRows().values().stream().mapToLong(Long::longValue).sum()), connector.running()));
        }
        PipelineSnapshot.OpenSearch openSearch = snapshot.openSearch();
        if (openSearch.error() != null) {
            rows.add(Row.bad("opensearch", "down", openSearch.url() + ": " + openSearch.error()));
        } else {
            rows.add(new Row("opensearch", "up", openSearch.url() + ", cluster " + openSearch.health()
                    + (openSearch.documents().isEmpty() ? ", no indexes yet" : "")
                    + (openSearch.writeRejections() > 0 ? String.format(", %,d write requests rejected (HTTP 429) since it started", openSearch.writeRejections()) : ""),
                    !"red".equals(openSearch.health())));
        }
        PipelineSnapshot.Flink flink = snapshot.flink();
        if (flink.error() != null) {
            rows.add(Row.bad("flink", "down", flink.url() + ": " + flink.error()));
            rows.add(Row.bad("job", "down", "no Flink cluster"));
        } else {
            rows.add(flink(flink));
            rows.add(job(flink.job(), snapshot.takenAtMillis()));
        }
        for (Map.Entry<String, String> index : snapshot.indexTables().entrySet()) {
            Long expected = postgres.expected(index.getKey(), index.getValue());
            Long found = openSearch.documents().get(index.getKey());
            if (expected != null && found != null) {
                String whose = postgres.expectedDocuments().containsKey(index.getKey()) ? index.getValue() + " passing the spec's filter and soft delete"
                        : index.getValue();
                rows.add(new Row(index.getKey(), expected.equals(found) ? "in step" : "behind",
                        counts(expected, found) + " (" + whose + "; make verify compares every field)", true));
            }
        }
        return rows;
    }

    /** The cluster's row: degraded while fewer TaskManagers run than it has when whole (one died: its slots are gone). */
    static Row flink(PipelineSnapshot.Flink flink) {
        boolean whole = flink.taskManagers() >= Math.max(1, flink.taskManagersExpected());
        String taskManagers = whole ? flink.taskManagers() + " TaskManager(s)"
                : flink.taskManagers() + " of " + flink.taskManagersExpected() + " TaskManager(s) (make start-flink starts the missing)";
        return new Row("flink", whole ? "up" : "degraded", flink.url() + ", " + taskManagers + ", " + flink.slotsFree() + "/" + flink.slotsTotal() + " slots free",
                whole);
    }

    /**
     * The job's row: RUNNING only when every task runs. After a restore Flink says RUNNING while tasks
     * still restore their state (INITIALIZING, measured: minutes at seed size), and search is stale
     * all that time.
     */
    static Row job(PipelineSnapshot.Job job, long now) {
        if (job == null) {
            return Row.bad("job", "not submitted", "make run-job");
        }
        if (job.jobError() != null) {
            return Row.bad("job", "unknown", job.jobError());
        }
        PipelineSnapshot.Checkpoint last = job.lastCheckpoint();
        String checkpoint = last == null ? "no checkpoint yet"
                : "last checkpoint #" + last.id() + " " + age(now - last.completedAtMillis()) + String.format(" (%,d MB)", last.sizeBytes() >> 20);
        if ("RUNNING".equals(job.state()) && !job.allTasksRunning()) {
            int restoring = job.tasksRestoring();
            return Row.bad("job", restoring > 0 ? "RESTORING" : "STARTING", job.id() + ", " + job.tasksRunning() + " of " + job.tasksTotal() + " tasks running"
                    + (restoring > 0 ? ", " + restoring + " restoring their state (documents are not updated until they run)" : "") + ", " + checkpoint);
        }
        return new Row("job", job.state(), job.id() + ", " + job.phase() + ", " + checkpoint, "RUNNING".equals(job.state()));
    }

    /**
     * The JSON of {@code make status JSON=yes} and of the status service's /api/status: the verdict,
     * the table's rows, and every figure they were made from.
     */
    public static String json(PipelineSnapshot snapshot) {
        return json(snapshot, List.of());
    }

    /** With the status service's last hour of commit-to-written delays ({@code history}; empty from make status). */
    static String json(PipelineSnapshot snapshot, List<FreshnessHistory.Point> history) {
        List<Row> rows = rows(snapshot);
        ObjectNode root = JSON.createObjectNode();
        root.put("healthy", healthy(rows));
        root.set("components", JSON.valueToTree(rows));
        root.set("pipeline", JSON.valueToTree(snapshot));
        root.set("history", JSON.valueToTree(history));
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Debezium's phase after the connector's state: ", snapshot: 1,226 of 5,375 rows read, 1 of 3 tables left" ({@code tableRows}: the
     * rows of the spec's tables, 0 when PostgreSQL did not answer) or ", streaming (0.4 s behind)". The status page shows this line too.
     */
    static String debezium(PipelineSnapshot.Debezium debezium, long tableRows) {
        if (debezium == null) {
            return "";
        }
        if (debezium.snapshotRunning()) {
            return String.format(", snapshot: %,d%s rows read", debezium.rowsScanned(), tableRows > 0 ? String.format(" of %,d", tableRows) : "")
                    + (debezium.remainingTables() == null || debezium.totalTables() == null ? ""
                            : ", " + debezium.remainingTables() + " of " + debezium.totalTables() + " tables left");
        }
        return debezium.streaming() ? ", streaming" + (debezium.millisBehindSource() == null ? ""
                : String.format(" (%.1f s behind)", debezium.millisBehindSource() / 1000)) : "";
    }

    public static boolean healthy(List<Row> rows) {
        return rows.stream().allMatch(Row::healthy);
    }

    /** A row and document count pair, as "500,000 rows / 499,990 documents". */
    public static String counts(long rows, long documents) {
        return String.format("%,d rows / %,d documents", rows, documents);
    }

    /** An age in whole seconds, minutes or hours. */
    public static String age(long millis) {
        long seconds = Math.max(0, millis / 1000);
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }
}
