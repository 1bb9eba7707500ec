package io.datasync.ops;

import java.time.Duration;
import java.util.Map;

/**
 * How far the pipeline is from holding every row as a document, between two readings: documents in
 * the indexes against the rows of their tables, the rate in between and the time left at that rate.
 * Done when every task runs, the job's source has read the topics up to a few seconds of changes
 * (its pendingRecords, else the group's committed lag) and either every index has exactly its table's rows, or (changes still
 * flowing: counts are rarely equal at the instant they are read) every index has at least 99% of
 * them and no document came in since the last reading (the snapshot's held documents are all out).
 */
record LoadProgress(Long snapshotRowsRead, long rows, long documents, Double eventsIn, Long pendingRecords, double documentsPerSecond, Duration left,
                    boolean done, Map<String, Long> surplus) {
    /** A few seconds of changes at the rates this pipeline sustains: a source this close to the topics' end has read them (make reindex's catch-up too). */
    static final long CAUGHT_UP_RECORDS = 1_000;

    /** An index holding at least 99% of its table's rows: as full as counts read under changes can say. */
    static boolean nearlyFull(long documents, long rows) {
        return documents * 100 >= rows * 99;
    }

    static LoadProgress between(PipelineSnapshot previous, PipelineSnapshot now) {
        long rows = 0;
        long documents = 0;
        boolean exact = true;
        boolean near = true;
        Map<String, Long> surplus = new java.util.TreeMap<>();
        for (Map.Entry<String, String> index : now.indexTables().entrySet()) {
            // The table's rows, or those passing the index's filter and its table's soft delete.
            Long known = now.postgres().expected(index.getKey(), index.getValue());
            long expected = known == null ? 0L : known;
            long indexDocuments = now.openSearch().documents().getOrDefault(index.getKey(), 0L);
            rows += expected;
            documents += indexDocuments;
            exact &= indexDocuments == expected;
            near &= nearlyFull(indexDocuments, expected);
            if (indexDocuments > expected) {
                surplus.put(index.getKey(), indexDocuments - expected);
            }
        }
        long before = documentsOf(previous);
        double seconds = (now.takenAtMillis() - previous.takenAtMillis()) / 1000.0;
        double rate = seconds > 0 ? Math.max(0, documents - before) / seconds : 0;
        Duration left = rate > 0 && rows > documents ? Duration.ofSeconds(Math.round((rows - documents) / rate)) : null;
        PipelineSnapshot.Job job = now.flink().job();
        PipelineSnapshot.Figures figures = job == null ? null : job.figures();
        Double eventsIn = figures == null ? null : figures.eventsIn();
        Long pending = figures == null || figures.pendingRecords() == null ? null : Math.round(figures.pendingRecords());
        // The source reports pendingRecords once it has fetched; a job restored with nothing new to read never does:
        // then the group's committed lag (as of its last checkpoint) stands in.
        Long toRead = pending != null ? pending : now.kafka().jobLag();
        boolean readAll = job != null && job.allTasksRunning() && toRead != null && toRead <= CAUGHT_UP_RECORDS
                && now.postgres().error() == null && now.openSearch().error() == null;
        boolean done = readAll && (exact || near && documents <= before);
        PipelineSnapshot.Debezium debezium = now.connect() == null ? null : now.connect().debezium();
        Long snapshotRowsRead = debezium != null && debezium.snapshotRunning() ? debezium.rowsScanned() : null;
        return new LoadProgress(snapshotRowsRead, rows, documents, eventsIn, pending, rate, left, done, surplus);
    }

    private static long documentsOf(PipelineSnapshot snapshot) {
        return snapshot.openSearch().documents().values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * One line: "Debezium snapshot 512,000 of 895,837 rows · job read 480,000 changes, 12,000 to read · documents 310,221 of
     * 895,837 (34.6%) · 6,120 docs/s · about 1m 32s left" (the snapshot's part while Debezium reads it).
     */
    String line() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (snapshotRowsRead != null) {
            parts.add(String.format("Debezium snapshot %,d of %,d rows", snapshotRowsRead, rows));
        }
        if (eventsIn != null) {
            parts.add(String.format("job read %,.0f changes", eventsIn) + (pendingRecords == null ? "" : String.format(", %,d to read", pendingRecords)));
        }
        parts.add(String.format("documents %,d of %,d (%.1f%%)", documents, rows, rows == 0 ? 100.0 : 100.0 * documents / rows));
        parts.add(String.format("%,.0f docs/s", documentsPerSecond));
        if (done) {
            parts.add("done");
        } else if (left != null) {
            parts.add("about " + human(left) + " left");
        }
        return String.join(" · ", parts);
    }

    /**
     * Indexes holding more documents than their tables have rows: a row deleted between the two counts,
     * or a document the job should have deleted ({@code make verify} names each).
     */
    java.util.List<String> surplusNotes() {
        return surplus.entrySet().stream()
                .map(index -> String.format("%s holds %,d document%s more than PostgreSQL says it should: make verify names %s", index.getKey(),
                        index.getValue(), index.getValue() == 1 ? "" : "s", index.getValue() == 1 ? "it" : "them"))
                .toList();
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600 ? String.format("%dh %02dm", seconds / 3600, seconds % 3600 / 60)
                : seconds >= 60 ? String.format("%dm %02ds", seconds / 60, seconds % 60) : seconds + " s";
    }
}
