package io.datasync.bench;

import io.datasync.bench.FullBenchmark.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pure: a full run's figures as Markdown, the goals of issues 6 and 13 checked against them. */
final class BenchReport {
    private BenchReport() {}

    /** A goal of issue 6, what was measured, and whether it is met. */
    record Goal(String name, String measured, boolean met) {}

    static List<Goal> goals(Outcome o, double refreshMillis) {
        double ceiling = o.ceiling().full().docsPerSecond();
        double limit = o.debezium().seconds() + o.ceiling().full().seconds();
        Freshness.RateResult at2000 = o.rates().stream().filter(r -> r.rate() == 2000).findFirst().orElse(null);
        double p99 = at2000 == null ? Double.NaN : at2000.searchable().get(Freshness.JOB_TARGET).p99();
        return List.of(
                new Goal("job throughput ≥ 0.8 × ceiling", String.format("%.2f × (%,.0f of %,.0f docs/s)", o.job().docsPerSecond() / ceiling,
                        o.job().docsPerSecond(), ceiling), o.job().docsPerSecond() >= 0.8 * ceiling),
                new Goal("end-to-end snapshot ≤ 1.2 × (Debezium alone + ceiling)", String.format("%.1f s vs %.1f s (%.1f × (%.1f s + %.1f s))",
                        o.endToEnd().seconds(), 1.2 * limit, o.endToEnd().seconds() / limit, o.debezium().seconds(), o.ceiling().full().seconds()),
                        o.endToEnd().seconds() <= 1.2 * limit),
                new Goal(String.format("p99 commit→searchable ≤ refresh + 0.5 s (%.0f ms) at 2,000 changes/s", refreshMillis + 500),
                        at2000 == null ? "2,000/s not run" : String.format("%.0f ms", p99), at2000 != null && p99 <= refreshMillis + 500),
                new Goal("job ≥ 2 × the plain consumer's throughput", String.format("%.2f × (%,.0f vs %,.0f docs/s)",
                        o.job().docsPerSecond() / o.baseline().docsPerSecond(), o.job().docsPerSecond(), o.baseline().docsPerSecond()),
                        o.job().docsPerSecond() >= 2 * o.baseline().docsPerSecond()),
                new Goal("verify: no drift after every phase", driftVerdict(o), o.clean()));
    }

    /** The phases with drift named, and a re-index that failed its own checks apart from them. */
    static String driftVerdict(Outcome o) {
        List<String> drifted = o.noDrift().entrySet().stream().filter(phase -> !phase.getValue()).map(Map.Entry::getKey).toList();
        List<String> verdict = new ArrayList<>();
        if (!drifted.isEmpty()) {
            verdict.add("DRIFT in " + String.join(", ", drifted));
        }
        if (o.reindex() != null && !o.reindex().passed()) {
            verdict.add("the re-index failed (see its section)");
        }
        return verdict.isEmpty() ? "no drift" : String.join("; ", verdict);
    }

    /**
     * The goals of issue 13 (the compact data path), from the same run: throughput against the
     * ceiling and the plain consumer, CPU per document against the plain consumer's, freshness over
     * the long window, 2,000 changes/s sustained, the TaskManager's peak RSS, the longest checkpoint.
     * A figure the run did not measure (a phase skipped) is shown as such and counts as not met.
     */
    static List<Goal> goalsOfIssue13(Outcome o) {
        double ceiling = o.ceiling().full().docsPerSecond();
        double job = o.job().docsPerSecond();
        double plain = o.baseline().docsPerSecond();
        List<Goal> goals = new ArrayList<>();
        goals.add(new Goal("job throughput ≥ 0.45 × ceiling", String.format("%.2f ×", job / ceiling), job >= 0.45 * ceiling));
        goals.add(new Goal("job throughput ≥ 0.75 × the plain consumer's", String.format("%.2f ×", job / plain), job >= 0.75 * plain));
        Double jobCpu = cpuPer1000Documents(o, JobThroughput.PHASE, Freshness.JOB_TARGET);
        Double plainCpu = cpuPer1000Documents(o, Baseline.PHASE, Baseline.TARGET);
        goals.add(jobCpu == null || plainCpu == null
                ? new Goal("job CPU per document ≤ 2 × the plain consumer's (loads)", "not measured", false)
                : new Goal("job CPU per document ≤ 2 × the plain consumer's (loads)", String.format("%.2f × (%.2f vs %.2f CPU s per 1,000)",
                        jobCpu / plainCpu, jobCpu, plainCpu), jobCpu <= 2 * plainCpu));
        if (o.longWindow() == null) {
            goals.add(new Goal("long window (≥ 12 min, 1,000/s): searchable p99 ≤ 2 s, max ≤ 5 s", "not run", false));
        } else {
            Latency searchable = o.longWindow().result().searchable().get(Freshness.JOB_TARGET);
            goals.add(new Goal(String.format("long window (%s at %d/s): searchable p99 ≤ 2 s, max ≤ 5 s", o.longWindow().window(),
                    o.longWindow().result().rate()), String.format("p99 %.1f s, max %.1f s", searchable.p99() / 1000, searchable.max() / 1000),
                    searchable.p99() <= 2_000 && searchable.max() <= 5_000));
        }
        Freshness.RateResult at2000 = o.rates().stream().filter(r -> r.rate() == 2000).findFirst().orElse(null);
        goals.add(new Goal("2,000 changes/s sustained", at2000 == null ? "2,000/s not run" : String.format("reached %,.0f/s%s", at2000.achieved(),
                at2000.sustained() ? "" : ", not sustained"), at2000 != null && at2000.sustained()));
        long peakRss = costs(o).flatMap(c -> c.processes().stream()).filter(p -> p.name().equals(Freshness.JOB_TARGET))
                .mapToLong(PhaseCosts.Process::peakRssMib).max().orElse(-1);
        goals.add(new Goal("TaskManager peak RSS ≤ 3 GB", peakRss < 0 ? "not measured" : String.format("%,d MiB", peakRss),
                peakRss >= 0 && peakRss <= 3 * 1024));
        long longestCheckpoint = costs(o).filter(c -> c.checkpoints() != null).mapToLong(c -> c.checkpoints().longestMillis()).max().orElse(-1);
        goals.add(new Goal("checkpoints never longer than 10 s", longestCheckpoint < 0 ? "not measured" : String.format("longest %.1f s",
                longestCheckpoint / 1000.0), longestCheckpoint >= 0 && longestCheckpoint <= 10_000));
        return goals;
    }

    private static java.util.stream.Stream<PhaseCosts> costs(Outcome o) {
        return o.costs() == null ? java.util.stream.Stream.empty() : o.costs().stream();
    }

    private static Double cpuPer1000Documents(Outcome o, String phase, String process) {
        return costs(o).filter(c -> c.phase().equals(phase)).flatMap(c -> c.processes().stream()).filter(p -> p.name().equals(process))
                .map(PhaseCosts.Process::cpuSecondsPer1000Documents).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static void goalRows(StringBuilder out, List<Goal> goals) {
        for (Goal goal : goals) {
            out.append("| ").append(goal.name()).append(" | ").append(goal.measured()).append(" | ").append(goal.met() ? "yes" : "**no**").append(" |\n");
        }
    }

    /** The bars of the throughput chart: per second, by stage or design. */
    static Map<String, Double> throughputBars(Outcome o) {
        Map<String, Double> bars = new LinkedHashMap<>();
        bars.put("ceiling", o.ceiling().full().docsPerSecond());
        bars.put("Debezium alone (rows)", o.debezium().rowsPerSecond());
        bars.put("plain consumer", o.baseline().docsPerSecond());
        bars.put("job (topics → indexes)", o.job().docsPerSecond());
        bars.put("end to end", o.endToEnd().documentsPerSecond());
        return bars;
    }

    static String markdown(Outcome o, double refreshMillis, Map<String, Object> environment) {
        StringBuilder out = new StringBuilder("# Benchmark results (`make bench`)\n\n");
        environment.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));

        out.append("\n## Goals\n\n| goal | measured | met |\n|---|---|---|\n");
        goalRows(out, goals(o, refreshMillis));

        out.append("\n## Goals of issue 13 (the compact data path)\n\n| goal | measured | met |\n|---|---|---|\n");
        goalRows(out, goalsOfIssue13(o));

        out.append("\n## Initial load (seed-size snapshot)\n\n| what | rows/documents | seconds | per second | note |\n|---|---:|---:|---:|---|\n");
        Ceiling.Run full = o.ceiling().full();
        out.append(String.format("| 1. ceiling: final documents bulk-loaded | %,d | %.1f | %,.0f | best of the sweep: bulks of %,d, %d in flight |%n",
                full.documents(), full.seconds(), full.docsPerSecond(), full.bulkSize(), full.concurrency()));
        out.append(String.format("| 2. job: topics → three indexes | %,d | %.1f | %,.0f | %.2f × ceiling; first document after %.1f s |%n",
                o.job().documents(), o.job().seconds(), o.job().docsPerSecond(), o.job().docsPerSecond() / full.docsPerSecond(), o.job().firstDocumentSeconds()));
        out.append(String.format("| 3a. Debezium snapshot alone into fresh topics | %,d | %.1f | %,.0f | rows |%n",
                o.debezium().rows(), o.debezium().seconds(), o.debezium().rowsPerSecond()));
        out.append(String.format("| 3. end to end: fresh connector → verified indexes | %,d | %.1f | %,.0f | first document after %.1f s |%n",
                o.endToEnd().documents(), o.endToEnd().seconds(), o.endToEnd().documentsPerSecond(), o.endToEnd().firstDocumentSeconds()));
        out.append(String.format("| 5. plain consumer: same topics, bulk by primary key | %,d | %.1f | %,.0f | no enrichment; %,d events; counts %s |%n",
                o.baseline().documents(), o.baseline().seconds(), o.baseline().docsPerSecond(), o.baseline().events(),
                o.baseline().documentsMatchRows() ? "equal the rows" : "DIFFER from the rows"));

        out.append("\nPeak memory during the end-to-end snapshot, MiB (each JVM: peak RSS; PostgreSQL: PSS summed over its processes): ");
        o.endToEnd().peakMemoryMib().forEach((process, mib) -> out.append(String.format("%s %,d; ", process, mib)));
        out.setLength(out.length() - 2);
        out.append("\n\n## Streaming freshness (milliseconds from commit)\n\n");
        out.append(RATE_HEADER);
        for (Freshness.RateResult rate : o.rates()) {
            out.append(rateRow(rate, Freshness.JOB_TARGET, ""));
        }
        out.append(String.format("%nSustained without growing lag: up to **%s**.%n",
                o.rates().stream().filter(Freshness.RateResult::sustained).mapToInt(Freshness.RateResult::rate).max()
                        .stream().mapToObj(r -> String.format("%,d changes/s", r)).findFirst().orElse("none of the rates run")));

        out.append("\n## Side by side with the plain consumer, same changes\n\n");
        out.append(RATE_HEADER);
        out.append(rateRow(o.sideBySide(), Freshness.JOB_TARGET, " job"));
        out.append(rateRow(o.sideBySide(), Baseline.TARGET, " plain consumer"));

        if (o.longWindow() != null) {
            FullBenchmark.LongWindow window = o.longWindow();
            out.append(String.format("%n## Long window: %s at %,d changes/s, job and plain consumer side by side%n%n", window.window(),
                    window.result().rate()));
            out.append(RATE_HEADER);
            out.append(rateRow(window.result(), Freshness.JOB_TARGET, " job"));
            out.append(rateRow(window.result(), Baseline.TARGET, " plain consumer"));
            out.append("\nRows in the tables before → after (the change mix deletes videos and comments faster than it inserts"
                    + " comments): ");
            window.rowsBefore().forEach((index, rows) -> out.append(String.format("%s %,d → %,d; ", index, rows,
                    window.rowsAfter().get(index))));
            out.setLength(out.length() - 2);
            out.append('\n');
        }
        out.append(CostsReport.markdown(o.costs()));
        if (o.reindex() != null) {
            out.append("\n## Re-index (`make reindex`) under a change load, search watched\n\n").append(ReindexReport.section(o.reindex()));
        }

        out.append("\n## Verify after each phase\n\n");
        o.noDrift().forEach((phase, clean) -> out.append("- ").append(phase).append(": ").append(clean ? "no drift" : "**DRIFT: failed run**").append('\n'));
        return out.toString();
    }

    static String freshnessMarkdown(List<Freshness.RateResult> rates, Map<String, Boolean> noDrift) {
        StringBuilder out = new StringBuilder("# Streaming freshness (milliseconds from commit)\n\n").append(RATE_HEADER);
        rates.forEach(rate -> out.append(rateRow(rate, Freshness.JOB_TARGET, "")));
        out.append('\n');
        noDrift.forEach((phase, clean) -> out.append("- ").append(phase).append(": ").append(clean ? "no drift" : "**DRIFT: failed run**").append('\n'));
        return out.toString();
    }

    private static final String RATE_HEADER = "| rate (changes/s) | reached | changes | document writes per change | watched"
            + " | written p50 / p95 / p99 / max | searchable p50 / p95 / p99 / max | sustained |\n|---:|---:|---:|---:|---:|---|---|---|\n";

    private static String rateRow(Freshness.RateResult rate, String target, String label) {
        Latency written = rate.written().get(target);
        Latency searchable = rate.searchable().get(target);
        List<String> notes = new ArrayList<>();
        if (rate.superseded() > 0) {
            notes.add("+" + rate.superseded() + " undone by a cascade");
        }
        long bySearch = rate.writtenBySearch() == null ? 0 : rate.writtenBySearch().getOrDefault(target, 0L);
        if (bySearch > 0) {
            notes.add(String.format("%,d written when first searchable", bySearch));
        }
        String watched = String.format("%,d", written.count()) + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
        Double writesPerChange = rate.writesPerChange(target);
        return String.format("| %,d%s | %,.0f | %,d | %s | %s | %s | %s | %s |%n", rate.rate(), label, rate.achieved(), rate.applied(),
                writesPerChange == null ? "–" : String.format("%.2f", writesPerChange),
                watched, percentiles(written), percentiles(searchable),
                rate.sustained(target) ? "yes" : "no" + (rate.unresolved() > 0 ? " (" + rate.unresolved() + " never seen)" : ""));
    }

    private static String percentiles(Latency latency) {
        return String.format("%.0f / %.0f / %.0f / %.0f", latency.p50(), latency.p95(), latency.p99(), latency.max());
    }
}
