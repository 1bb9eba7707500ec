package io.datasync.bench;

import io.datasync.cdc.CdcCli;
import io.datasync.postgres.changes.ChangeMix;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code make bench}: the five benchmarks of issue 6 in one run on the running pipeline, in an
 * order where each leaves what the next needs — the ceiling; Debezium's snapshot alone; the
 * snapshot end to end (which leaves the topics holding exactly the snapshot); the job from those
 * topics; the plain consumer from the same topics, then both watched side by side under the same
 * change load; the job alone at each rate; finally (unless skipped) one long window with both
 * watched again; last (unless skipped) make reindex under a change load. Every phase that touches the job's indexes is followed by the verifier. Each
 * phase in which the job or the plain consumer works is metered ({@link PhaseMeter}). The job is
 * left running.
 */
final class FullBenchmark {
    /** {@code longWindow} zero: no long window. */
    record Settings(int sweepDocuments, List<Integer> bulkSizes, List<Integer> concurrencies, List<Integer> rates, int sideBySideRate,
                    Duration warmUp, Duration phase, int writers, Path topicPlan, Path varDir, Duration timeout, Duration longWindow,
                    int longRate, int reindexRate) {}

    /**
     * The long window: one rate held for minutes, the job and the plain consumer watched, with the rows in
     * the tables before and after (the change mix deletes videos and comments faster than it inserts comments: a long window
     * shrinks the data). The window is an ISO-8601 duration (JSON has no duration type).
     */
    record LongWindow(String window, Freshness.RateResult result, Map<String, Long> rowsBefore, Map<String, Long> rowsAfter) {}

    /** {@code costs}: every metered phase in order; {@code longWindow} null when skipped (both null in results from before issue 13). */
    /** {@code reindex}: make reindex under load (issue 14), null when skipped or in results from before it. */
    record Outcome(Ceiling.Result ceiling, Snapshot.DebeziumAlone debezium, Snapshot.EndToEnd endToEnd, JobThroughput.Result job,
                   Baseline.Result baseline, Freshness.RateResult sideBySide, List<Freshness.RateResult> rates,
                   Map<String, Boolean> noDrift, LongWindow longWindow, List<PhaseCosts> costs, ReindexBenchmark.Result reindex) {
        boolean clean() {
            return noDrift.values().stream().allMatch(Boolean::booleanValue) && (reindex == null || reindex.passed());
        }
    }

    private final Pipeline pipeline;
    private final Ceiling ceiling;
    private final Callable<Connection> connections;
    private final Connection db;

    FullBenchmark(Pipeline pipeline, Ceiling ceiling, Callable<Connection> connections, Connection db) {
        this.pipeline = pipeline;
        this.ceiling = ceiling;
        this.connections = connections;
        this.db = db;
    }

    Outcome run(Settings settings, String openSearchUrl, String flinkUrl) throws Exception {
        try (PhaseMeter meter = PhaseMeter.of(settings.varDir(), flinkUrl, pipeline)) {
            return run(settings, openSearchUrl, meter);
        }
    }

    private Outcome run(Settings settings, String openSearchUrl, PhaseMeter meter) throws Exception {
        Map<String, Boolean> noDrift = new LinkedHashMap<>();
        phase("0/5 the default data set, as make up loads it");
        pipeline.restoreDefaultData(); // also leaves the ceiling alone on the machine: no job, no connector
        phase("1/5 ceiling: the final documents bulk-loaded into empty indexes");
        Ceiling.Result ceilingResult = ceiling.measure(db, settings.sweepDocuments(), settings.bulkSizes(), settings.concurrencies());

        Snapshot snapshot = new Snapshot(pipeline, settings.topicPlan(), settings.varDir());
        phase("3a/5 Debezium's snapshot alone into fresh topics");
        Snapshot.DebeziumAlone debezium = snapshot.debeziumAlone(settings.timeout());
        phase("3/5 snapshot end to end: fresh connector, empty OpenSearch, job without state");
        Snapshot.EndToEnd endToEnd = snapshot.endToEnd(settings.timeout(), meter);
        noDrift.put("snapshot end to end", endToEnd.noDrift());

        phase("2/5 job throughput: the snapshot already in Kafka");
        JobThroughput.Result job = new JobThroughput(pipeline).measure(settings.timeout(), meter);
        noDrift.put("job throughput", job.noDrift());

        DocumentProbe.Target jobTarget = jobTarget();
        ChangeMix mix = mix();

        Path consumerGcLog = settings.varDir().resolve("bench/plain-consumer-gc.log");
        try (Baseline plain = new Baseline(pipeline, CdcCli.kafkaBootstrap(System.getenv()), openSearchUrl, meter, consumerGcLog)) {
            phase("5/5 baseline: a plain consumer of the same topics, bulk index by primary key");
            Baseline.Result baseline = plain.snapshot(settings.timeout());
            Freshness.RateResult sideBySide = sideBySide(plain, settings.sideBySideRate(), settings.phase(), settings, mix, jobTarget,
                    meter, "side by side at " + settings.sideBySideRate() + "/s", noDrift);
            // Stopped while the job is watched alone, so that the rates measure the job as they always did.
            plain.stop();

            List<Freshness.RateResult> rates = rates(settings, mix, jobTarget, noDrift, meter);
            LongWindow longWindow = null;
            if (!settings.longWindow().isZero()) {
                phase(String.format("long window: %s at %d changes/s, job and plain consumer side by side", settings.longWindow(),
                        settings.longRate()));
                plain.resume(settings.timeout());
                Map<String, Long> rowsBefore = pipeline.rowsPerIndex();
                Freshness.RateResult result = sideBySide(plain, settings.longRate(), settings.longWindow(), settings, mix, jobTarget, meter,
                        "long window " + settings.longWindow() + " at " + settings.longRate() + "/s", noDrift);
                longWindow = new LongWindow(settings.longWindow().toString(), result, rowsBefore, pipeline.rowsPerIndex());
            }
            plain.stop();
            ReindexBenchmark.Result reindex = null;
            if (settings.reindexRate() > 0) {
                phase(String.format("6/6 make reindex at %d changes/s, search watched on every alias", settings.reindexRate()));
                reindex = new ReindexBenchmark(pipeline, connections).run(settings.reindexRate(), settings.timeout());
                noDrift.put("re-index under " + settings.reindexRate() + "/s", reindex.noDrift());
            }
            return new Outcome(ceilingResult, debezium, endToEnd, job, baseline, sideBySide, rates, noDrift, longWindow, meter.phases(), reindex);
        }
    }

    /** The job and the plain consumer watched for the same changes at one rate, the verifier after. */
    private Freshness.RateResult sideBySide(Baseline plain, int rate, Duration duration, Settings settings, ChangeMix mix,
                                            DocumentProbe.Target jobTarget, PhaseMeter meter, String name, Map<String, Boolean> noDrift)
            throws Exception {
        phase("5/5 baseline and job side by side at " + rate + " changes/s for " + duration);
        DocumentProbe.Target baselineTarget = new DocumentProbe.Target(Baseline.TARGET, plain.indexByTable());
        Freshness.RateResult result;
        List<DocumentProbe.Target> targets = List.of(jobTarget, baselineTarget);
        try (DocumentProbe probe = new DocumentProbe(pipeline.openSearch(), targets, mix, pipeline::stillCurrent)) {
            result = new Freshness(pipeline, connections, mix, probe, settings.writers()).metered(meter, name)
                    .run(rate, settings.warmUp(), duration);
        }
        noDrift.put(name, pipeline.noDrift(Duration.ofMinutes(3)));
        return result;
    }

    /** Benchmark 4 alone: the job watched at each rate, the verifier after each. */
    List<Freshness.RateResult> rates(Settings settings, ChangeMix mix, DocumentProbe.Target jobTarget, Map<String, Boolean> noDrift,
                                     PhaseMeter meter) throws Exception {
        List<Freshness.RateResult> rates = new ArrayList<>();
        try (DocumentProbe probe = new DocumentProbe(pipeline.openSearch(), List.of(jobTarget), mix, pipeline::stillCurrent)) {
            for (int rate : settings.rates()) {
                phase("4/5 streaming freshness at " + rate + " changes/s");
                Freshness.RateResult result = new Freshness(pipeline, connections, mix, probe, settings.writers())
                        .metered(meter, "freshness at " + rate + "/s").run(rate, settings.warmUp(), settings.phase());
                rates.add(result);
                System.out.printf("  reached %.0f changes/s, %.2f document writes per change; commit→searchable p50 %.0f ms, p99 %.0f ms%n",
                        result.achieved(), result.writesPerChange(), result.searchable().get(Freshness.JOB_TARGET).p50(),
                        result.searchable().get(Freshness.JOB_TARGET).p99());
                noDrift.put("freshness at " + rate + "/s", pipeline.noDrift(Duration.ofMinutes(3)));
            }
        }
        return rates;
    }

    DocumentProbe.Target jobTarget() {
        Map<String, String> jobIndexes = new LinkedHashMap<>();
        pipeline.spec().indexes().forEach(index -> jobIndexes.put(index.table(), index.name()));
        return new DocumentProbe.Target(Freshness.JOB_TARGET, jobIndexes);
    }

    ChangeMix mix() throws Exception {
        try (Connection loader = connections.call()) {
            return ChangeMix.load(loader, System.currentTimeMillis(), "bench-" + System.currentTimeMillis() / 1000 + "-");
        }
    }

    private static void phase(String name) {
        System.out.printf("%n== %s (%tT)%n", name, System.currentTimeMillis());
    }
}
