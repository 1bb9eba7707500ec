package io.datasync.bench;

import java.util.List;
import java.util.Map;

/** Pure: the metered phases as Markdown, the job's TaskManager beside the plain consumer (bench/README.md explains each column). */
final class CostsReport {
    private static final Map<String, String> LABELS = Map.of(Freshness.JOB_TARGET, "job (TaskManager)", Baseline.TARGET, "plain consumer");
    private static final String NONE = "–";

    private CostsReport() {}

    static String markdown(List<PhaseCosts> phases) {
        if (phases == null || phases.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n## Costs per phase: the job's TaskManager and the plain consumer\n\n");
        out.append("| phase | process | seconds | documents written | CPU s | CPU s per 1,000 documents"
                + " | CPU s per 1,000 source changes (loads: rows)"
                + " | peak RSS MiB | GC pauses | GC pause total ms | longest GC pause ms |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (PhaseCosts phase : phases) {
            for (PhaseCosts.Process p : phase.processes()) {
                out.append(String.format("| %s | %s | %.1f | %,d | %s | %s | %s | %,d | %s |%n", phase.phase(),
                        LABELS.getOrDefault(p.name(), p.name()), phase.seconds(), p.documents(), number(p.cpuSeconds(), "%.1f"),
                        number(p.cpuSecondsPer1000Documents(), "%.3f"), number(p.cpuSecondsPer1000Changes(), "%.3f"), p.peakRssMib(),
                        gc(p.gc())));
            }
        }
        if (phases.stream().allMatch(phase -> phase.checkpoints() == null)) {
            return out.toString();
        }
        out.append("\n## Checkpoints per phase (the job)\n\n| phase | completed (failed) | largest checkpointed size MiB"
                + " | longest duration s | latest completed checkpoint: state size MiB | rows in the tables"
                + " | state bytes per source row |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (PhaseCosts phase : phases) {
            FlinkCheckpoints.Summary c = phase.checkpoints();
            if (c == null) {
                continue;
            }
            out.append(String.format("| %s | %d (%d) | %s | %s | %s | %,d | %s |%n", phase.phase(), c.completed(), c.failed(),
                    c.completed() == 0 ? NONE : String.format("%,.1f", mib(c.largestCheckpointedBytes())),
                    c.completed() == 0 ? NONE : String.format("%.1f", c.longestMillis() / 1000.0),
                    c.latestStateBytes() == null ? NONE : String.format("%,.1f", mib(c.latestStateBytes())), c.sourceRows(),
                    number(c.stateBytesPerSourceRow(), "%,.0f")));
        }
        return out.toString();
    }

    /** "count | total | longest (kind)", or that the process has no GC log. */
    static String gc(GcLog.Pauses gc) {
        if (gc == null) {
            return "no GC log | " + NONE + " | " + NONE;
        }
        if (gc.count() == 0) {
            return "0 | 0 | " + NONE;
        }
        // "Pause Young (Normal) (G1 Evacuation Pause)" → "Young"; the JSON keeps the whole kind.
        String kind = gc.longestKind().replaceFirst("^Pause ", "").split(" ")[0];
        return String.format("%,d | %,.0f | %,.1f (%s)", gc.count(), gc.totalMillis(), gc.longestMillis(), kind);
    }

    private static String number(Double value, String format) {
        return value == null ? NONE : String.format(format, value);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
