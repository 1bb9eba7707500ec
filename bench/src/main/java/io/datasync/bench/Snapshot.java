package io.datasync.bench;

import io.datasync.cdc.CdcCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Benchmark 3 of issue 6: the initial load end to end, and Debezium's share of it alone.
 * (a) Debezium alone: the job cancelled, the connector reset (offsets, slot, empty topics) and
 * resumed; timed until the table topics hold one event per row. End to end: the job cancelled,
 * its indexes deleted, the connector reset; the clock starts when the connector resumes and the
 * job is submitted without state right after (as {@code make up} does), and stops when every
 * index holds its table's rows; then the verifier must find no drift. Peak memory per process is
 * sampled throughout.
 */
final class Snapshot {
    record DebeziumAlone(long rows, double seconds) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** {@code documents}: what the indexes hold at the end (soft-deleted and filtered rows have none). */
    record EndToEnd(long documents, double seconds, double firstDocumentSeconds, Map<String, Long> peakMemoryMib, boolean noDrift) {
        double documentsPerSecond() {
            return documents / seconds;
        }
    }

    private final Pipeline pipeline;
    private final Path topicPlan;
    private final Path varDir;

    Snapshot(Pipeline pipeline, Path topicPlan, Path varDir) {
        this.pipeline = pipeline;
        this.topicPlan = topicPlan;
        this.varDir = varDir;
    }

    DebeziumAlone debeziumAlone(Duration timeout) throws Exception {
        long rows = total(pipeline.rowsPerIndex());
        pipeline.job(Map.of(), "cancel");
        pipeline.resetConnector(topicPlan);
        long start = System.nanoTime();
        pipeline.resumeConnector();
        try (Admin admin = CdcCli.admin()) {
            while (pipeline.topicEvents(admin) < rows) {
                if (System.nanoTime() - start > timeout.toNanos()) {
                    throw new IllegalStateException("Debezium's snapshot did not finish within " + timeout);
                }
                Thread.sleep(200);
            }
        }
        return new DebeziumAlone(rows, (System.nanoTime() - start) / 1e9);
    }

    EndToEnd endToEnd(Duration timeout, PhaseMeter meter) throws Exception {
        Map<String, Long> documents = pipeline.documentsPerIndex();
        pipeline.job(Map.of(), "cancel");
        pipeline.deleteIndexes();
        pipeline.resetConnector(topicPlan);
        try (ProcessMemory memory = new ProcessMemory(varDir)) {
            PhaseMeter.Running phase = meter.start("snapshot end to end");
            long start = System.nanoTime();
            pipeline.resumeConnector();
            pipeline.job(Map.of("FRESH", "yes"), "start");
            Pipeline.Arrival arrival = pipeline.awaitDocuments(documents, start, timeout);
            Map<String, Long> peak = memory.peakMib();
            phase.stop(Map.of(Freshness.JOB_TARGET, pipeline.documentWrites()), total(documents));
            return new EndToEnd(total(documents), arrival.seconds(), arrival.firstDocumentSeconds(), peak, pipeline.noDrift(Duration.ofMinutes(2)));
        }
    }

    static long total(Map<String, Long> rows) {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
