package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Pure: the results as the Markdown written to bench/results/. */
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

    static String jobMarkdown(JobThroughput.Result result, Double ceiling, Map<String, Object> machine) {
        StringBuilder out = new StringBuilder("# Job throughput: the topics (snapshot in Kafka) into the three indexes\n\n");
        out.append("Machine: ").append(machine).append("; documents: ").append(result.documentsPerIndex()).append("\n\n");
        out.append("| documents | seconds | first document after | docs/s | ceiling docs/s | ratio | verify |\n|---:|---:|---:|---:|---:|---:|---|\n");
        out.append(String.format("| %,d | %.1f | %.1f s | %,.0f | %s | %s | %s |%n", result.documents(), result.seconds(), result.firstDocumentSeconds(),
                result.docsPerSecond(), ceiling == null ? "not measured" : String.format("%,.0f", ceiling),
                ceiling == null ? "" : String.format("%.2f", result.docsPerSecond() / ceiling), result.noDrift() ? "no drift" : "DRIFT: failed run"));
        return out.toString();
    }

    /** The ceiling of the last {@code make bench-ceiling}, if there is one. */
    static Double ceilingDocsPerSecond(Path ceilingJson) throws IOException {
        if (!Files.exists(ceilingJson)) {
            return null;
        }
        JsonNode full = new ObjectMapper().readTree(ceilingJson.toFile()).path("result").path("full");
        return full.path("documents").asDouble() / full.path("seconds").asDouble();
    }
}
