package io.datasync.bench;

import io.datasync.bench.DocumentProbe.Observation;
import io.datasync.postgres.changes.ChangeLoad;
import io.datasync.postgres.changes.ChangeMix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.sql.Connection;

/**
 * Benchmark 4 of issue 6: the mixed change load at a fixed rate, after a warm-up at that rate;
 * every {@code rate / WATCHED_PER_SECOND}-th change is watched by the {@link DocumentProbe} from
 * its commit until its document is written and searchable. A rate is sustained when the load
 * reached it (≥ 95%) and the lag did not grow: the last third of the watched changes became
 * searchable about as fast as the first third (p95 at most 1 s and 50% above it).
 */
final class Freshness {
    static final int WATCHED_PER_SECOND = 50;
    /** The probe target of the job's own indexes, whose lag decides whether a rate is sustained. */
    static final String JOB_TARGET = "job";

    /** One rate's figures; latencies per target (the job's indexes, and the baseline's if watched). */
    record RateResult(int rate, double achieved, long applied, double writesPerChange, int watched, int unresolved, int superseded,
                      Map<String, Latency> written, Map<String, Latency> searchable, double firstThirdP95, double lastThirdP95) {
        boolean sustained() {
            return achieved >= 0.95 * rate && unresolved == 0 && lastThirdP95 <= Math.max(firstThirdP95 * 1.5, firstThirdP95 + 1000);
        }
    }

    private final Pipeline pipeline;
    private final Callable<Connection> connections;
    private final ChangeMix mix;
    private final DocumentProbe probe;
    private final int writers;

    Freshness(Pipeline pipeline, Callable<Connection> connections, ChangeMix mix, DocumentProbe probe, int writers) {
        this.pipeline = pipeline;
        this.connections = connections;
        this.mix = mix;
        this.probe = probe;
        this.writers = writers;
    }

    RateResult run(int rate, Duration warmUp, Duration duration) throws Exception {
        ChangeLoad load = new ChangeLoad(connections, mix, writers);
        if (!warmUp.isZero()) {
            load.run(rate, warmUp, 0, applied -> {});
        }
        probe.drain();
        int unresolvedBefore = probe.unresolved();
        int supersededBefore = probe.superseded();
        long writesBefore = pipeline.documentWrites();
        ChangeLoad.Stats stats = load.run(rate, duration, Math.max(1, rate / WATCHED_PER_SECOND), probe);
        probe.awaitIdle();
        // Writes of the measured phase (the warm-up's are done by now, the phase's once the probe is idle, give or take a few).
        double writesPerChange = (pipeline.documentWrites() - writesBefore) / (double) Math.max(1, stats.applied());
        List<Observation> observations = probe.drain();
        Map<String, Latency> written = new java.util.TreeMap<>();
        Map<String, Latency> searchable = new java.util.TreeMap<>();
        probe.targetNames().forEach(target -> {
            List<Observation> mine = observations.stream().filter(o -> o.target().equals(target)).toList();
            written.put(target, Latency.of(mine.stream().map(Observation::writtenMillis).toList()));
            searchable.put(target, Latency.of(mine.stream().map(Observation::searchableMillis).toList()));
        });
        // The lag trend of the job: the first and last third of the phase by commit time.
        List<Observation> first = observations.stream().filter(o -> o.target().equals(JOB_TARGET))
                .sorted(java.util.Comparator.comparingLong(Observation::at)).toList();
        int third = first.size() / 3;
        double early = third == 0 ? Double.NaN : Latency.of(first.subList(0, third).stream().map(Observation::searchableMillis).toList()).p95();
        double late = third == 0 ? Double.NaN : Latency.of(first.subList(first.size() - third, first.size()).stream().map(Observation::searchableMillis).toList()).p95();
        return new RateResult(rate, stats.statementsPerSecond(), stats.applied(), writesPerChange, first.size(), probe.unresolved() - unresolvedBefore, probe.superseded() - supersededBefore,
                written, searchable, early, late);
    }
}
