package io.datasync.bench;

import java.util.Map;

/** Pure: the re-index benchmark as markdown. */
final class ReindexReport {
    private ReindexReport() {}

    static String markdown(ReindexBenchmark.Result result, Map<String, Object> machine) {
        StringBuilder out = new StringBuilder("# Re-index: make reindex under a change load, search watched\n\n");
        out.append("Machine: ").append(machine).append("\n\n");
        out.append(section(result));
        return out.toString();
    }

    /** The table of one run, also a section of make bench's report. */
    static String section(ReindexBenchmark.Result result) {
        StringBuilder out = new StringBuilder();
        if (result.failure() != null) {
            out.append("**FAILED**: ").append(result.failure()).append(" (the search results below still count).\n\n");
        }
        out.append(String.format("Load: %,d changes/s asked, %,.0f reached (%,d changes) during the whole run; a query on each alias every 50 ms.%n%n",
                result.rate(), result.achievedRate(), result.changes()));
        out.append("| step | seconds |\n|---|---:|\n");
        result.steps().forEach((step, seconds) -> out.append(String.format("| %s | %.1f |%n", step, seconds)));
        out.append(result.swapMillis() < 0 ? String.format("| **alias swap** (one `_aliases` request) | not reached |%n")
                : String.format("| **alias swap** (one `_aliases` request) | **%.3f** |%n", result.swapMillis() / 1000.0));
        out.append(String.format("| all (make reindex) | %.1f |%n%n", result.totalSeconds()));
        out.append("| alias | queries | failed | empty | slowest answer |\n|---|---:|---:|---:|---:|\n");
        for (SearchAvailability.Result search : result.search()) {
            out.append(String.format("| %s | %,d | %d | %d | %d ms |%n", search.alias(), search.queries(), search.failed(), search.empty(),
                    search.slowestMillis()));
        }
        out.append(String.format("%nVerifier after the load: %s.%n", result.noDrift() ? "no drift" : "DRIFT: failed run"));
        return out.toString();
    }
}
