package io.datasync.ops;

import io.datasync.cdc.ConnectorStatus;
import io.datasync.cdc.SlotStatus;
import java.util.List;
import java.util.Map;

/**
 * What every part of the pipeline said at one moment. {@code make status}'s table, its JSON, the
 * status page and the {@code /metrics} endpoint are views of it. A part that could not be asked
 * holds why ({@code error}) and nothing else. {@code indexTables}: each index of the sync spec and
 * the table its documents come from, in the spec's order.
 */
public record PipelineSnapshot(long takenAtMillis, Map<String, String> indexTables, Postgres postgres, Kafka kafka, Connect connect, OpenSearch openSearch,
                               Flink flink) {

    /** {@code slot} null: no such slot. */
    /**
     * {@code tableRows}: rows per table; {@code expectedDocuments}: the documents an index must hold when
     * that is not its table's rows (a filter or a soft delete: {@code ExpectedDocuments.count}).
     */
    public record Postgres(String url, Map<String, Long> tableRows, Map<String, Long> expectedDocuments, String slotName, SlotStatus slot,
                           String error) {
        public Postgres(String url, Map<String, Long> tableRows, String slotName, SlotStatus slot, String error) {
            this(url, tableRows, Map.of(), slotName, slot, error);
        }

        static Postgres down(String url, String slotName, String error) {
            return new Postgres(url, Map.of(), slotName, null, error);
        }

        /** The documents {@code index} (of {@code table}) must hold, or null when unknown. */
        public Long expected(String index, String table) {
            Long expected = expectedDocuments.get(index);
            return expected != null ? expected : tableRows.get(table);
        }
    }

    /** {@code jobLag}: records the job's consumer group has not committed yet (null: it has committed nothing). */
    public record Kafka(String bootstrap, int brokers, String consumerGroup, Long jobLag, String error) {
        static Kafka down(String bootstrap, String consumerGroup, String error) {
            return new Kafka(bootstrap, 0, consumerGroup, null, error);
        }
    }

    /** {@code connector} null: not registered; {@code debezium} null: its metrics could not be read. */
    public record Connect(String url, String connectorName, ConnectorStatus connector, Debezium debezium, String error) {
        static Connect down(String url, String connectorName, String error) {
            return new Connect(url, connectorName, null, null, error);
        }
    }

    /**
     * Debezium's own account of its phase: the snapshot (rows read so far over every table, tables
     * left) or streaming (connected to the slot; how far behind the database's clock the last event
     * was, null before the first one).
     */
    public record Debezium(boolean snapshotRunning, boolean snapshotCompleted, long rowsScanned, Integer totalTables, Integer remainingTables,
                           boolean streaming, Double millisBehindSource) {}

    /** Documents per alias (absent: no such index yet); write requests OpenSearch rejected since it started (HTTP 429). */
    public record OpenSearch(String url, String health, Map<String, Long> documents, long writeRejections, String error) {
        static OpenSearch down(String url, String error) {
            return new OpenSearch(url, null, Map.of(), 0, error);
        }
    }

    /**
     * {@code job} null: never submitted to this cluster. {@code taskManagersExpected}: how many the cluster
     * runs when whole (fewer registered: one died, and the job may lack the slots for its parallelism).
     */
    public record Flink(String url, int taskManagers, int taskManagersExpected, int slotsFree, int slotsTotal, Job job, String error) {
        static Flink down(String url, String error) {
            return new Flink(url, 0, 0, 0, 0, null, error);
        }
    }

    /**
     * The newest job of the sync job's name: Flink's state, and its tasks (a RUNNING job whose tasks
     * still restore their state writes nothing yet), operator by operator in the job's order.
     * {@code jobError}: the job was found but its details could not be read.
     */
    public record Job(String id, String state, int tasksTotal, int tasksRunning, int tasksRestoring, Checkpoint lastCheckpoint, Figures figures,
                      String jobError, List<Operator> operators) {
        /** A job read without its operators. */
        public Job(String id, String state, int tasksTotal, int tasksRunning, int tasksRestoring, Checkpoint lastCheckpoint, Figures figures,
                   String jobError) {
            this(id, state, tasksTotal, tasksRunning, tasksRestoring, lastCheckpoint, figures, jobError, List.of());
        }

        public boolean allTasksRunning() {
            return "RUNNING".equals(state) && tasksRunning == tasksTotal && jobError == null;
        }

        /**
         * What the job does now, as a person would say it (in /api/status as "phase"): restoring its
         * state, starting, reading Debezium's snapshot (its documents held until all of it is read),
         * writing the snapshot's documents, or streaming; else Flink's state.
         */
        @com.fasterxml.jackson.annotation.JsonProperty("phase")
        public String phase() {
            if (jobError != null || !"RUNNING".equals(state)) {
                return state == null ? "unknown" : state.toLowerCase(java.util.Locale.ROOT);
            }
            if (tasksRestoring > 0) {
                return "restoring state";
            }
            if (tasksRunning < tasksTotal) {
                return "starting";
            }
            double toRelease = figures == null || figures.snapshotDocumentsToRelease() == null ? 0 : figures.snapshotDocumentsToRelease();
            double held = figures == null || figures.snapshotDocumentsHeld() == null ? 0 : figures.snapshotDocumentsHeld();
            if (toRelease > 0) {
                return String.format("writing the snapshot's documents (%,.0f to write)", toRelease);
            }
            if (held > 0) {
                return String.format("reading the snapshot (%,.0f changes read, %,.0f documents held until it is all read)",
                        figures.eventsIn() == null ? 0 : figures.eventsIn(), held);
            }
            return "streaming";
        }
    }

    /**
     * One chain of operators of the job (a Flink vertex, e.g. "Decode → Normalize"): how many of its
     * subtasks run and how many still restore their state.
     */
    public record Operator(String name, int parallelism, int running, int restoring) {
        /** What a person would say it does now: restoring its state, starting, or running (in /api/status as "phase"). */
        @com.fasterxml.jackson.annotation.JsonProperty("phase")
        public String phase() {
            if (restoring > 0) {
                return "restoring state (" + restoring + " of " + parallelism + " subtasks)";
            }
            return running == parallelism ? "running" : "starting (" + running + " of " + parallelism + " subtasks running)";
        }
    }

    /**
     * The job's own metrics since it (re)started, over all its subtasks: events decoded, documents
     * written, dead letters (events and documents), version conflicts (older writes OpenSearch
     * refused: harmless), the largest commit-to-written delay of the last bulks, records the
     * Kafka source has yet to read, and the documents of Debezium's snapshot the job holds until it
     * has read all of it, then those it has still to release. Null: not reported yet.
     */
    public record Figures(Double eventsIn, Double documentsWritten, Double deadLetters, Double versionConflicts, Double commitToWrittenMillis,
                          Double pendingRecords, Double snapshotDocumentsHeld, Double snapshotDocumentsToRelease) {
        /** Figures of a job that reports no snapshot phase (tests, builds before it). */
        public Figures(Double eventsIn, Double documentsWritten, Double deadLetters, Double versionConflicts, Double commitToWrittenMillis,
                       Double pendingRecords) {
            this(eventsIn, documentsWritten, deadLetters, versionConflicts, commitToWrittenMillis, pendingRecords, null, null);
        }
    }

    /** The last completed checkpoint. */
    public record Checkpoint(long id, long completedAtMillis, long sizeBytes, long durationMillis) {}
}
