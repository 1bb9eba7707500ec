package io.datasync.chaos;

import io.datasync.bench.Pipeline;
import io.datasync.postgres.changes.ChangeLoad;
import io.datasync.postgres.changes.ChangeMix;
import io.datasync.verify.Verifier.IndexReport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * One fault at a time on the running pipeline: a steady mixed change load starts; after a lead the
 * fault is injected and repaired as an operator would (restart the process, bring OpenSearch back,
 * restore the job); a marker row committed during the fault times the recovery; the load runs to
 * its end; then the verifier judges every document.
 */
final class ChaosRun {
    /** How the faults are run. */
    record Settings(double rate, Duration load, Duration lead, Duration outage, double burstFactor, double longRate, Duration longLead, int writers,
            Duration recoveryTimeout, Duration verifyTimeout, long seed, Path varDir, Path topicPlan, String runId) {

        double rate(Fault fault) {
            return switch (fault) {
                case SAVEPOINT_MID_BURST -> rate * burstFactor;
                case TASKMANAGER_AFTER_LONG_LOAD -> longRate;
                default -> rate;
            };
        }

        Duration lead(Fault fault) {
            return fault == Fault.TASKMANAGER_AFTER_LONG_LOAD ? longLead : lead;
        }

        /** The load lasts {@code load} after the lead of the long-load fault, so that recovery and catch-up happen under load too. */
        Duration load(Fault fault) {
            return fault == Fault.TASKMANAGER_AFTER_LONG_LOAD ? longLead.plus(load) : load;
        }
    }

    private final Pipeline pipeline;
    private final Callable<Connection> connections;
    private final Connection db;
    private final FlinkRest flink;
    private final Settings settings;
    /** The index the marker rows (new videos) are written to. */
    private final String markerIndex;

    ChaosRun(Pipeline pipeline, Callable<Connection> connections, Connection db, FlinkRest flink, Settings settings) {
        this.pipeline = pipeline;
        this.markerIndex = pipeline.spec().indexes().stream().filter(i -> i.table().equals("videos")).findFirst().orElseThrow().name();
        this.connections = connections;
        this.db = db;
        this.flink = flink;
        this.settings = settings;
    }

    FaultResult run(Fault fault) throws Exception {
        List<String> notes = new ArrayList<>();
        log("%s: %s", fault.slug(), fault.description());
        if (fault == Fault.TASKMANAGER_DURING_SNAPSHOT) {
            // A real initial snapshot: no job state, no documents, and topics holding Debezium's fresh snapshot of the
            // current rows (not the topics' whole history, which a job without state would otherwise replay).
            pipeline.job(Map.of(), "cancel");
            pipeline.deleteIndexes();
            pipeline.resetConnector(settings.topicPlan());
        }
        double rate = settings.rate(fault);
        ChangeMix mix = ChangeMix.load(db, settings.seed() + fault.ordinal(), "chaos-" + settings.runId() + "-" + fault.slug() + "-");
        var loader = Executors.newSingleThreadExecutor();
        CompletableFuture<ChangeLoad.Stats> load = CompletableFuture.supplyAsync(() -> {
            try {
                return new ChangeLoad(connections, mix, settings.writers()).run(rate, settings.load(fault), 0, applied -> {});
            } catch (Exception e) {
                throw new IllegalStateException("the change load failed: " + e.getMessage(), e);
            }
        }, loader);
        notes.add(String.format(Locale.ROOT, "Load: %.0f changes/s for %s (%s), the fault %s.", rate, settings.load(fault),
                fault == Fault.SAVEPOINT_MID_BURST ? settings.burstFactor() + "× the steady rate: the burst"
                        : fault == Fault.TASKMANAGER_AFTER_LONG_LOAD ? "the long load's rate" : "the steady rate",
                fault == Fault.TASKMANAGER_DURING_SNAPSHOT ? "once the new job completed a checkpoint or wrote half the documents"
                        : "after " + settings.lead(fault)));
        try {
            Instant faultAt;
            if (fault == Fault.TASKMANAGER_DURING_SNAPSHOT) {
                pipeline.resumeConnector();
                pipeline.job(Map.of("FRESH", "yes"), "start");
                notes.add("The connector was reset (offsets, slot, topics) and resumed: Debezium took a new snapshot while the job, started"
                        + " without state, read it.");
                faultAt = awaitMidSnapshot(notes);
            } else {
                Thread.sleep(settings.lead(fault).toMillis());
                faultAt = Instant.now();
            }
            String marker = "chaos-marker-" + settings.runId() + "-" + fault.slug();
            Instant repairedAt = injectAndRepair(fault, marker, notes);
            double tasksRunning = fault.restoresTheJob() ? awaitRestore(faultAt, notes) : -1;
            double writing = tasksRunning >= 0 ? awaitWrites(faultAt, marker, notes) : -1;
            double recovery = awaitMarker(marker, repairedAt);
            Instant recoveredAt = Instant.now();
            ChangeLoad.Stats stats = load.get();
            log("%s: load done (%,d statements, %,d rows changed); verifying", fault.slug(), stats.statements(), stats.applied());
            Instant loadEnded = Instant.now();
            List<IndexReport> reports = pipeline.verifyOnceCaughtUp(settings.verifyTimeout());
            double clean = seconds(loadEnded, Instant.now());
            reports.forEach(report -> notes.add("Verifier: " + report));
            reports.stream().flatMap(r -> r.firstMismatches().stream()).forEach(line -> notes.add("Mismatch: " + line));
            List<Path> logs = List.of("flink", "connect", "kafka", "opensearch").stream().map(s -> settings.varDir().resolve(s).resolve("logs")).toList();
            return new FaultResult(fault.slug(), fault.description(), stats.statements(), stats.applied(),
                    reports.stream().mapToLong(IndexReport::expected).sum(),
                    reports.stream().mapToLong(IndexReport::missing).sum(), reports.stream().mapToLong(IndexReport::duplicated).sum(),
                    reports.stream().mapToLong(IndexReport::extra).sum(), reports.stream().mapToLong(IndexReport::different).sum(),
                    seconds(faultAt, repairedAt), tasksRunning, writing, recovery, clean, notes, LogExcerpts.between(logs, faultAt.minusSeconds(1), recoveredAt, 14));
        } finally {
            load.cancel(false);
            loader.shutdown();
        }
    }

    /** Kills the TaskManager of a freshly started job once it completed a checkpoint or wrote half the documents, whichever comes first. */
    private Instant awaitMidSnapshot(List<String> notes) throws Exception {
        String job = flink.job().orElseThrow(() -> new IllegalStateException("the job started without state is not running"));
        long expected = pipeline.documentsPerIndex().values().stream().mapToLong(Long::longValue).sum();
        long deadline = System.nanoTime() + settings.recoveryTimeout().toNanos();
        long documents;
        long checkpoints;
        while (true) {
            documents = documents();
            checkpoints = flink.completedCheckpoints(job);
            if (checkpoints > 0 || documents * 2 >= expected || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        notes.add(String.format(Locale.ROOT, "At the kill: %,d of %,d documents written, %d checkpoint(s) of the new job completed%s.", documents, expected,
                checkpoints, documents < expected ? " (the snapshot was in progress)" : " (**the snapshot had already ended**)"));
        return Instant.now();
    }

    /** Seconds from the fault until every task of the job runs again with its state restored (-1 when not within the recovery timeout). */
    private double awaitRestore(Instant faultAt, List<String> notes) throws Exception {
        long deadline = System.nanoTime() + settings.recoveryTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            var restore = flink.job().flatMap(job -> flink.restoredSince(job, faultAt.toEpochMilli()));
            if (restore.isPresent()) {
                double seconds = (restore.get().allRunningAtMillis() - faultAt.toEpochMilli()) / 1000.0;
                notes.add(String.format(Locale.ROOT, "Every task RUNNING %.1f s after the fault. Restore (INITIALIZING → RUNNING, the slowest subtask) per operator: %s.",
                        seconds, String.join("; ", restore.get().restoreMillis().entrySet().stream()
                                .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / 1000.0)).toList())));
                flink.job().flatMap(job -> flink.restoredCheckpoint(job, faultAt.toEpochMilli()))
                        .ifPresent(checkpoint -> notes.add(checkpoint.describe()));
                return seconds;
            }
            Thread.sleep(250);
        }
        notes.add("The job's tasks were not all RUNNING within " + settings.recoveryTimeout() + ".");
        return -1;
    }

    /**
     * Seconds from the fault until OpenSearch applied a write of the restored job: its indexing totals grew after
     * every task was RUNNING (read then, so writes of the job before the fault, or of tasks still running while the
     * JobManager was down, do not count), or the marker committed during the fault is already there (the job caught
     * up before the totals were read); -1 when neither came within the recovery timeout.
     */
    private double awaitWrites(Instant faultAt, String marker, List<String> notes) throws Exception {
        long before = pipeline.documentWrites();
        double seconds = secondsUntil(faultAt, () -> pipeline.documentWrites() > before || markerWritten(marker));
        if (seconds < 0) {
            notes.add("OpenSearch applied no write of the restored job within " + settings.recoveryTimeout() + " of its tasks RUNNING.");
        }
        return seconds;
    }

    private long documents() throws Exception {
        long documents = 0;
        for (var index : pipeline.spec().indexes()) {
            documents += pipeline.openSearch().count(index.name());
        }
        return documents;
    }

    /** Injects the fault, commits the marker row while it lasts, repairs it; returns when the repair was done. */
    private Instant injectAndRepair(Fault fault, String marker, List<String> notes) throws Exception {
        switch (fault) {
            case TASKMANAGER_DURING_SNAPSHOT, TASKMANAGER_DURING_STREAMING, TASKMANAGER_AFTER_LONG_LOAD -> {
                stack("flink.sh", "crash-taskmanager");
                insertMarker(marker);
                stack("flink.sh", "start");
                notes.add("The TaskManager was started again (same resource id); Flink's restart strategy restored the job from its latest checkpoint.");
            }
            case JOBMANAGER -> {
                stack("flink.sh", "crash-jobmanager");
                insertMarker(marker);
                stack("flink.sh", "start");
                pipeline.job(Map.of(), "start");
                notes.add("No HA: the JobManager was started again and stack/job.sh start resumed the job from its newest retained checkpoint (claim mode).");
            }
            case CONNECT -> {
                stack("connect.sh", "crash");
                insertMarker(marker);
                stack("connect.sh", "start");
                pipeline.awaitConnector("RUNNING");
                notes.add("The worker was started again; the connector and its task came back from Connect's config and offset topics.");
            }
            case OPENSEARCH -> {
                stack("opensearch.sh", "stop");
                insertMarker(marker);
                Thread.sleep(settings.outage().toMillis());
                stack("opensearch.sh", "start");
                notes.add("OpenSearch was stopped for " + settings.outage() + "; the job's bulk requests failed, it restarted from its checkpoints with"
                        + " growing delays and caught up once OpenSearch was back.");
            }
            case KAFKA -> {
                stack("kafka.sh", "crash");
                insertMarker(marker);
                stack("kafka.sh", "start");
                pipeline.awaitConnector("RUNNING");
                notes.add("The broker was started again (log recovery after the unclean shutdown); Connect and the job reconnected.");
            }
            case SAVEPOINT_MID_BURST -> {
                insertMarker(marker);
                pipeline.job(Map.of(), "stop");
                pipeline.job(Map.of(), "start");
                notes.add("stack/job.sh stop took a savepoint and stopped the job mid-burst; stack/job.sh start restored it (claim mode).");
            }
        }
        return Instant.now();
    }

    private void stack(String script, String command) throws Exception {
        pipeline.run(Map.of(), "stack/" + script, command);
    }

    /** A new video row: committed while the fault lasts, it is in OpenSearch once the pipeline has caught up. */
    private void insertMarker(String id) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO videos (video_id, title, category) VALUES (?, 'chaos marker', 'Chaos')")) {
            insert.setString(1, id);
            insert.executeUpdate();
        }
    }

    /** Seconds from {@code repairedAt} until the marker's document is there; -1 when it never came. */
    private double awaitMarker(String id, Instant repairedAt) throws Exception {
        return secondsUntil(repairedAt, () -> markerWritten(id));
    }

    /** Seconds from {@code from} until {@code done} holds, asked every 250 ms; -1 when it did not within the recovery timeout. */
    private double secondsUntil(Instant from, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + settings.recoveryTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (done.call()) {
                return seconds(from, Instant.now());
            }
            Thread.sleep(250);
        }
        return -1;
    }

    /** Whether the marker's document is in OpenSearch (real-time GET); false while OpenSearch is away. */
    private boolean markerWritten(String id) {
        try {
            return pipeline.openSearch().json("GET", "/" + markerIndex + "/_doc/" + id, null).path("found").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    static void log(String format, Object... args) {
        System.out.printf("%s chaos: %s%n", Instant.now(), String.format(Locale.ROOT, format, args));
    }
}
