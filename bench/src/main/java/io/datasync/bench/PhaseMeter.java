package io.datasync.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

/**
 * Meters the phases of a run for the processes that do the work, side by side: the Flink
 * TaskManager (its PID file and GC log under the stack's state folder) and the plain consumer
 * while one runs ({@link #watch}). Per phase: process CPU from {@code /proc}, peak RSS
 * ({@code VmHWM}, reset at the start), GC pauses from each process's own GC log within the phase's
 * wall-clock window, and the job's checkpoints triggered in it ({@link FlinkCheckpoints}).
 */
final class PhaseMeter implements AutoCloseable {
    /** A process to meter: its name in the results, its PID and its GC log. */
    record Metered(String name, long pid, Path gcLog) {}

    private final Path varDir;
    private final FlinkCheckpoints checkpoints;
    private final Callable<Long> sourceRows;
    private final Map<String, Metered> watched = new LinkedHashMap<>();
    private final List<PhaseCosts> phases = new ArrayList<>();

    /** {@code sourceRows}: the rows in the source tables now (for state bytes per row). */
    PhaseMeter(Path varDir, String flinkUrl, Callable<Long> sourceRows) {
        this.varDir = varDir;
        this.checkpoints = flinkUrl == null ? null : new FlinkCheckpoints(flinkUrl);
        this.sourceRows = sourceRows;
    }

    /** A meter of the stack in {@code varDir}, the source rows counted in the pipeline's tables. */
    static PhaseMeter of(Path varDir, String flinkUrl, Pipeline pipeline) {
        return new PhaseMeter(varDir, flinkUrl, () -> Snapshot.total(pipeline.rowsPerIndex()));
    }

    /** A meter that measures nothing (the parts run alone, without a stack folder to read). */
    static PhaseMeter off() {
        return new PhaseMeter(null, null, () -> 0L);
    }

    /** Meters this process too in the phases that start from now on, until {@link #unwatch}. */
    synchronized void watch(String name, long pid, Path gcLog) {
        watched.put(name, new Metered(name, pid, gcLog));
    }

    synchronized void unwatch(String name) {
        watched.remove(name);
    }

    /** The phases metered so far, in order. */
    synchronized List<PhaseCosts> phases() {
        return List.copyOf(phases);
    }

    /** The TaskManager as the stack runs it: PID file and GC log under {@code <var>/flink} (flink-conf/config.yaml). */
    private List<Metered> processes() {
        List<Metered> processes = new ArrayList<>();
        ProcessMemory.pid(varDir, "flink/taskmanager.pid").ifPresent(pid -> processes.add(
                new Metered(Freshness.JOB_TARGET, pid, varDir.resolve("flink/logs/taskmanager-gc.log"))));
        processes.addAll(watched.values());
        return processes;
    }

    synchronized Running start(String phase) {
        return new Running(phase, varDir == null ? List.of() : processes());
    }

    @Override
    public void close() throws InterruptedException {
        if (checkpoints != null) {
            checkpoints.close();
        }
    }

    /** A phase being metered. */
    final class Running {
        private final String phase;
        private final List<Metered> processes;
        private final Map<String, OptionalLong> ticks = new LinkedHashMap<>();
        private final long startMillis = System.currentTimeMillis();
        private final long startNanos = System.nanoTime();

        private Running(String phase, List<Metered> processes) {
            this.phase = phase;
            this.processes = processes;
            processes.forEach(p -> {
                ProcessMemory.resetPeak(p.pid());
                ticks.put(p.name(), ProcessCpu.ticks(p.pid()));
            });
        }

        /**
         * Ends the phase: {@code documents} written by each process (by name; a process not named wrote none)
         * and the source changes fed in (applied changes, or a load's rows). Returns the phase's costs, also kept in {@link #phases}.
         */
        PhaseCosts stop(Map<String, Long> documents, Long changes) throws Exception {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            long endMillis = System.currentTimeMillis();
            if (varDir == null) {
                return null;
            }
            List<PhaseCosts.Process> costs = new ArrayList<>();
            for (Metered p : processes) {
                OptionalLong before = ticks.get(p.name());
                OptionalLong after = ProcessCpu.ticks(p.pid());
                Double cpu = before.isPresent() && after.isPresent() ? ProcessCpu.seconds(after.getAsLong() - before.getAsLong()) : null;
                GcLog.Pauses gc = GcLog.exists(p.gcLog())
                        ? GcLog.Pauses.within(GcLog.read(p.gcLog()), Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(endMillis))
                        : null;
                long written = documents.getOrDefault(p.name(), 0L);
                costs.add(PhaseCosts.Process.of(p.name(), cpu, written, changes, ProcessMemory.peakKib(p.pid()), gc));
            }
            FlinkCheckpoints.Summary summary = checkpoints == null ? null : checkpoints.summary(startMillis, endMillis, sourceRows.call());
            PhaseCosts result = new PhaseCosts(phase, seconds, changes, costs, summary);
            synchronized (PhaseMeter.this) {
                phases.add(result);
            }
            return result;
        }
    }
}
