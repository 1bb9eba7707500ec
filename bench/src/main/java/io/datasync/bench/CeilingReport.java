package io.datasync.bench;

import java.util.Map;

/** Pure: the ceiling result as the Markdown written to bench/results/ceiling.md. */
final class CeilingReport {
    private CeilingReport() {}

    static String markdown(Ceiling.Result result, Map<String, Object> machine) {
        StringBuilder out = new StringBuilder("# Ceiling: final documents bulk-loaded into empty indexes\n\n");
        out.append("Machine: ").append(machine).append("; documents: ").append(result.documentsPerIndex()).append("\n\n");
        out.append("| bulk size | concurrency | documents | seconds | docs/s |\n|---:|---:|---:|---:|---:|\n");
        for (Ceiling.Run run : result.sweep()) {
            out.append(row(run));
        }
        out.append("\n**Ceiling** (all documents, best setting):\n\n| bulk size | concurrency | documents | seconds | docs/s |\n|---:|---:|---:|---:|---:|\n");
        out.append(row(result.full()));
        return out.toString();
    }

    private static String row(Ceiling.Run run) {
        return String.format("| %d | %d | %,d | %.1f | %,.0f |%n", run.bulkSize(), run.concurrency(), run.documents(), run.seconds(), run.docsPerSecond());
    }
}
