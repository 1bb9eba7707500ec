package io.datasync.bench;

import io.datasync.bench.DocumentProbe.Observation;
import io.datasync.postgres.changes.ChangeLoad;
import io.datasync.postgres.changes.ChangeMix;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Benchmark 4 of issue 6: the mixed change load at a fixed rate, after a warm-up at that rate;
 * every {@code rate / WATCHED_PER_SECOND}-th change is watched by the {@link DocumentProbe} from
 * its commit until its document is written and searchable. A rate is sustained when the load
 * reached it (≥ 95%) and the lag did not grow: p99 commit→searchable within
 * {@link #SUSTAINED_P99_MILLIS}.
 */
final class Freshness {
    static final int WATCHED_PER_SECOND = 50;
    /** The probe target of the job's own indexes, whose lag decides whether a rate is sustained. */
    static final String JOB_TARGET = "job";
    /**
     * A job that keeps up shows each change within a few refresh intervals; one that does not
     * builds a backlog, and its latency grows to tens of seconds within the phase.
     */
    static final double SUSTAINED_P99_MILLIS = 5000;

    /**
     * One rate's figures; latencies and document writes per target (the job's indexes, and the baseline's if watched).
     * {@code writesPerChange} is the job's; {@code documentWrites} is null in results from before issue 13.
     * {@code writtenBySearch}: per target, the watched changes whose written time is the search's (see {@link DocumentProbe}).
     */
    record RateResult(int rate, double achieved, long applied, double writesPerChange, int watched, int unresolved, int superseded,
                      Map<String, Latency> written, Map<String, Latency> searchable, Map<String, Long> documentWrites,
                      Map<String, Long> writtenBySearch) {
        /** Document writes per applied change of one target; the job's also for results that do not have them per target. */
        Double writesPerChange(String target) {
            if (documentWrites != null && documentWrites.containsKey(target)) {
                return documentWrites.get(target) / (double) Math.max(1, applied);
            }
            return target.equals(JOB_TARGET) ? writesPerChange : null;
        }

        /** The load reached the rate, every watched change showed, and the job kept up: no backlog, its p99 within seconds. */
        boolean sustained() {
            return sustained(JOB_TARGET);
        }

        boolean sustained(String target) {
            return achieved >= 0.95 * rate && unresolved == 0 && searchable.get(target).p99() <= SUSTAINED_P99_MILLIS;
        }
    }

    private final Pipeline pipeline;
    private final Callable<Connection> connections;
    private final ChangeMix mix;
    private final DocumentProbe probe;
    private final int writers;
    private PhaseMeter meter = PhaseMeter.off();
    private String phase = "freshness";

    Freshness(Pipeline pipeline, Callable<Connection> connections, ChangeMix mix, DocumentProbe probe, int writers) {
        this.pipeline = pipeline;
        this.connections = connections;
        this.mix = mix;
        this.probe = probe;
        this.writers = writers;
    }

    /** Meters the measured part of the run (not the warm-up) as a phase of this name. */
    Freshness metered(PhaseMeter meter, String phase) {
        this.meter = meter;
        this.phase = phase;
        return this;
    }

    RateResult run(int rate, Duration warmUp, Duration duration) throws Exception {
        ChangeLoad load = new ChangeLoad(connections, mix, writers);
        if (!warmUp.isZero()) {
            load.run(rate, warmUp, 0, applied -> {});
        }
        probe.drain();
        int unresolvedBefore = probe.unresolved();
        int supersededBefore = probe.superseded();
        Map<String, Long> writesBefore = writes();
        PhaseMeter.Running metered = meter.start(phase);
        ChangeLoad.Stats stats = load.run(rate, duration, Math.max(1, rate / WATCHED_PER_SECOND), probe);
        probe.awaitIdle();
        // Writes of the measured phase (the warm-up's are done by now, the phase's once the probe is idle, give or take a few).
        Map<String, Long> writes = writes();
        writes.replaceAll((target, after) -> after - writesBefore.get(target));
        metered.stop(writes, stats.applied());
        double writesPerChange = writes.get(JOB_TARGET) / (double) Math.max(1, stats.applied());
        List<Observation> observations = probe.drain();
        Map<String, Latency> written = new TreeMap<>();
        Map<String, Latency> searchable = new TreeMap<>();
        Map<String, Long> writtenBySearch = new TreeMap<>();
        probe.targetNames().forEach(target -> {
            List<Observation> mine = observations.stream().filter(o -> o.target().equals(target)).toList();
            written.put(target, Latency.of(mine.stream().map(Observation::writtenMillis).toList()));
            searchable.put(target, Latency.of(mine.stream().map(Observation::searchableMillis).toList()));
            writtenBySearch.put(target, mine.stream().filter(Observation::writtenBySearch).count());
        });
        return new RateResult(rate, stats.statementsPerSecond(), stats.applied(), writesPerChange, written.get(JOB_TARGET).count(),
                probe.unresolved() - unresolvedBefore, probe.superseded() - supersededBefore, written, searchable, writes,
                writtenBySearch);
    }

    /** Index and delete operations so far on each watched target's indexes. */
    private Map<String, Long> writes() throws Exception {
        Map<String, Long> writes = new TreeMap<>();
        for (DocumentProbe.Target target : probe.targets()) {
            writes.put(target.name(), pipeline.documentWrites(target.indexByTable().values()));
        }
        return writes;
    }
}
