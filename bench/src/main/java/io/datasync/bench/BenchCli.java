package io.datasync.bench;

import io.datasync.job.ServiceDefaults;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code make bench} and its parts: figures printed and written to {@code bench/results/}. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCli.AllCommand.class, BenchCli.CeilingCommand.class, BenchCli.JobCommand.class, BenchCli.SnapshotCommand.class, BenchCli.FreshnessCommand.class,
                BenchCli.ReindexCommand.class, BenchCli.ReportCommand.class},
        description = "Benchmarks of the pipeline (issue 6); see bench/README.md.")
public final class BenchCli {
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new BenchCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                })
                .execute(args));
    }

    /** What every benchmark needs: the spec, OpenSearch, PostgreSQL, and where its results go. */
    static final class Setup {
        @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
        String spec;

        @Option(names = "--opensearch-url", defaultValue = ServiceDefaults.OPENSEARCH, description = "OpenSearch (default: ${DEFAULT-VALUE}).")
        String openSearchUrl;

        @Option(names = "--pg-port", defaultValue = "${env:PGPORT:-5432}", description = "PostgreSQL port; the rest from PG* variables (default: ${DEFAULT-VALUE}).")
        int pgPort;

        @Option(names = "--flink-url", defaultValue = ServiceDefaults.FLINK,
                description = "Flink's REST API, for the job's checkpoints (default: ${DEFAULT-VALUE}).")
        String flinkUrl;

        @Option(names = "--out", defaultValue = "bench/results", description = "Folder for <benchmark>.json and <benchmark>.md (default: ${DEFAULT-VALUE}).")
        Path out;

        Pipeline pipeline(Connection db) {
            return new Pipeline(SyncSpecParser.parse(spec), openSearchUrl, Path.of("").toAbsolutePath(), db);
        }

        Connection connect() throws java.sql.SQLException {
            return ConnectionSettings.fromEnvironment(System.getenv()).withPort(pgPort).connect();
        }

        /** Prints the Markdown and writes it with the JSON record (benchmark, time, machine, result, and {@code extra}) to {@link #out}. */
        void write(String benchmark, String markdown, Object result, Map<String, Object> extra) throws java.io.IOException {
            System.out.print(markdown);
            Files.createDirectories(out);
            Files.writeString(out.resolve(benchmark + ".md"), markdown);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", benchmark);
            json.put("at", Instant.now().toString());
            json.put("machine", machine());
            json.put("result", result);
            json.putAll(extra);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(benchmark + ".json").toFile(), json);
        }
    }

    public static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_gib", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1L << 30));
        machine.put("java", System.getProperty("java.version"));
        return machine;
    }

    /** The change load of the freshness benchmark. */
    static final class Load {
        @Option(names = "--rates", split = ",", defaultValue = "500,1000,2000", description = "Change rates, per second (default: ${DEFAULT-VALUE}).")
        List<Integer> rates;

        @Option(names = "--warm-up", defaultValue = "PT15S", description = "Load at each rate before measuring (default: ${DEFAULT-VALUE}).")
        Duration warmUp;

        @Option(names = "--phase", defaultValue = "PT60S", description = "Measured time at each rate (default: ${DEFAULT-VALUE}).")
        Duration phase;

        @Option(names = "--writers", defaultValue = "8", description = "JDBC connections applying the changes (default: ${DEFAULT-VALUE}).")
        int writers;

        String describe() {
            return String.format("rates %s changes/s, %s warm-up + %s measured each, %d JDBC writers, every (rate/%d)-th change watched",
                    rates, warmUp, phase, writers, Freshness.WATCHED_PER_SECOND);
        }
    }

    @Command(name = "ceiling", mixinStandardHelpOptions = true,
            description = "Bulk-load the final documents (computed with SQL) into empty indexes: this machine's OpenSearch ceiling.")
    static final class CeilingCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Option(names = "--sweep-documents", defaultValue = "100000", description = "Documents per sweep run (default: ${DEFAULT-VALUE}).")
        int sweepDocuments;

        @Option(names = "--bulk-sizes", split = ",", defaultValue = "1000,5000", description = "Bulk sizes swept (default: ${DEFAULT-VALUE}).")
        List<Integer> bulkSizes;

        @Option(names = "--concurrency", split = ",", defaultValue = "1,2", description = "Requests in flight swept (default: ${DEFAULT-VALUE}).")
        List<Integer> concurrencies;

        @Override
        public Integer call() throws Exception {
            Ceiling.Result result;
            try (Connection db = setup.connect(); OpenSearchRest openSearch = new OpenSearchRest(setup.openSearchUrl)) {
                result = new Ceiling(SyncSpecParser.parse(setup.spec), setup.spec, openSearch).measure(db, sweepDocuments, bulkSizes, concurrencies);
            }
            setup.write("ceiling", CeilingReport.markdown(result, machine()), result, Map.of());
            return 0;
        }
    }

    /** A single benchmark phase on the running pipeline, with its costs metered (the TaskManager's CPU, memory, GC, checkpoints). */
    static final class MeteredPhase {
        @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--var-dir", defaultValue = "${env:VAR_DIR:-var}",
                description = "The stack's state folder, for the PID files and GC logs (default: ${DEFAULT-VALUE}).")
        Path varDir;

        interface Body<T> {
            T run(Pipeline pipeline, PhaseMeter meter) throws Exception;
        }

        record Measured<T>(T result, List<PhaseCosts> costs) {}

        <T> Measured<T> run(Setup setup, Body<T> body) throws Exception {
            try (Connection db = setup.connect()) {
                Pipeline pipeline = setup.pipeline(db);
                try (PhaseMeter meter = PhaseMeter.of(varDir, setup.flinkUrl, pipeline)) {
                    T result = body.run(pipeline, meter);
                    return new Measured<>(result, meter.phases());
                }
            }
        }
    }

    @Command(name = "job", mixinStandardHelpOptions = true,
            description = "Stop the job, delete its indexes, start it without state and time it until every document is written.")
    static final class JobCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Mixin
        MeteredPhase phase;

        @Override
        public Integer call() throws Exception {
            MeteredPhase.Measured<JobThroughput.Result> run = phase.run(setup, (pipeline, meter) -> new JobThroughput(pipeline).measure(phase.timeout, meter));
            JobThroughput.Result result = run.result();
            Double ceiling = CeilingReport.ceilingDocsPerSecond(setup.out.resolve("ceiling.json"));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("docs_per_second", result.docsPerSecond());
            extra.put("ceiling_docs_per_second", ceiling);
            extra.put("job_args", System.getenv().getOrDefault("JOB_ARGS", ""));
            extra.put("costs", run.costs());
            setup.write("job", CeilingReport.jobMarkdown(result, ceiling, machine()) + CostsReport.markdown(run.costs()), result, extra);
            return result.noDrift() ? 0 : 1;
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "The initial load end to end: stop the job, delete its indexes, reset the connector (slot, offsets, topics), resume it and"
                    + " start the job without state at once (as make up does); time it until every document is written, then verify.")
    static final class SnapshotCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Mixin
        MeteredPhase phase;

        @Option(names = "--topic-plan", defaultValue = "debezium/topics.json", description = "Topics recreated for the fresh snapshot (default: ${DEFAULT-VALUE}).")
        Path topicPlan;

        @Override
        public Integer call() throws Exception {
            MeteredPhase.Measured<Snapshot.EndToEnd> run = phase.run(setup,
                    (pipeline, meter) -> new Snapshot(pipeline, topicPlan, phase.varDir).endToEnd(phase.timeout, meter));
            Snapshot.EndToEnd result = run.result();
            String markdown = String.format("# The initial load end to end (Debezium's snapshot and the job at once)%n%nMachine: %s%n%n"
                    + "| documents | seconds | first document after | documents/s | peak RSS (MiB) | verify |%n|---:|---:|---:|---:|---|---|%n"
                    + "| %,d | %.1f | %.1f s | %,.0f | %s | %s |%n", machine(), result.documents(), result.seconds(), result.firstDocumentSeconds(),
                    result.documentsPerSecond(), result.peakMemoryMib(), result.noDrift() ? "no drift" : "DRIFT: failed run");
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("job_args", System.getenv().getOrDefault("JOB_ARGS", ""));
            extra.put("costs", run.costs());
            setup.write("snapshot", markdown + CostsReport.markdown(run.costs()), result, extra);
            return result.noDrift() ? 0 : 1;
        }
    }

    @Command(name = "reindex", mixinStandardHelpOptions = true,
            description = "make reindex on the running pipeline under a change load, search watched on every alias every 50 ms (issue 14).")
    static final class ReindexCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Option(names = "--rate", defaultValue = "300", description = "Change rate during the whole re-index, per second (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--timeout", defaultValue = "PT1H", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            ReindexBenchmark.Result result;
            try (Connection db = setup.connect()) {
                result = new ReindexBenchmark(setup.pipeline(db), setup::connect).run(rate, timeout);
            }
            setup.write("reindex", ReindexReport.markdown(result, machine()), result, Map.of());
            return result.passed() ? 0 : 1;
        }
    }

    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "All five benchmarks in one run on the running pipeline (make bench); leaves the job running.")
    static final class AllCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Option(names = "--sweep-documents", defaultValue = "100000", description = "Documents per ceiling sweep run (default: ${DEFAULT-VALUE}).")
        int sweepDocuments;

        @Mixin
        Load load;

        @Option(names = "--side-by-side-rate", defaultValue = "1000", description = "Change rate while the plain consumer is watched too (default: ${DEFAULT-VALUE}).")
        int sideBySideRate;

        @Option(names = "--topic-plan", defaultValue = "debezium/topics.json", description = "Topics recreated for the fresh snapshot (default: ${DEFAULT-VALUE}).")
        Path topicPlan;

        @Option(names = "--var-dir", defaultValue = "${env:VAR_DIR:-var}", description = "The stack's state folder, for the PID files (default: ${DEFAULT-VALUE}).")
        Path varDir;

        @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up on a load after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--long-window", defaultValue = "PT12M",
                description = "Measured time of the long window, job and plain consumer side by side; PT0S skips it"
                        + " (default: ${DEFAULT-VALUE}).")
        Duration longWindow;

        @Option(names = "--long-rate", defaultValue = "1000",
                description = "Change rate of the long window, per second (default: ${DEFAULT-VALUE}).")
        int longRate;

        // Off by default: at seed size on 2 cores the rebuild beside the serving job has not caught up under 300 changes/s
        // (three runs, the last 32 minutes into its catch-up); make bench-reindex runs it alone.
        @Option(names = "--reindex-rate", defaultValue = "0",
                description = "Change rate during a last phase, make reindex with search watched; 0 skips it (default: ${DEFAULT-VALUE}; make bench-reindex runs it alone).")
        int reindexRate;

        @Override
        public Integer call() throws Exception {
            FullBenchmark.Settings settings = new FullBenchmark.Settings(sweepDocuments, List.of(1000, 5000), List.of(1, 2), load.rates, sideBySideRate,
                    load.warmUp, load.phase, load.writers, topicPlan, varDir, timeout, longWindow, longRate, reindexRate);
            FullBenchmark.Outcome outcome;
            double refreshMillis;
            try (Connection db = setup.connect()) {
                Pipeline pipeline = setup.pipeline(db);
                Ceiling ceiling = new Ceiling(pipeline.spec(), setup.spec, pipeline.openSearch());
                outcome = new FullBenchmark(pipeline, ceiling, setup::connect, db).run(settings, setup.openSearchUrl, setup.flinkUrl);
                refreshMillis = pipeline.refreshIntervalMillis();
            }
            Map<String, Object> environment = new LinkedHashMap<>();
            environment.put("machine", machine());
            environment.put("versions", versions());
            environment.put("job", "arguments '" + System.getenv().getOrDefault("JOB_ARGS", "") + "' on the session cluster of flink-conf/config.yaml ("
                    + flinkSettings() + ")");
            environment.put("load", load.describe());
            environment.put("long window", longWindow.isZero() ? "skipped"
                    : String.format("%s at %d changes/s after a %s warm-up, job and plain consumer side by side",
                            longWindow, longRate, load.warmUp));
            environment.put("plain consumer", "its own JVM: " + PlainConsumerProcess.HEAP + ", G1, GC log "
                    + varDir.resolve("bench/plain-consumer-gc.log"));
            environment.put("index refresh interval", String.format("%.0f ms", refreshMillis));
            publish(setup, outcome, refreshMillis, environment, Map.of());
            return outcome.clean() ? 0 : 1;
        }
    }

    /** bench.md, bench.json and the two charts of a full run. */
    static void publish(Setup setup, FullBenchmark.Outcome outcome, double refreshMillis, Map<String, Object> environment, Map<String, Object> more)
            throws java.io.IOException {
        Files.createDirectories(setup.out);
        Charts.throughput(setup.out.resolve("throughput.png"), BenchReport.throughputBars(outcome));
        Charts.freshness(setup.out.resolve("freshness.png"), outcome.rates(), refreshMillis + 500);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("refresh_interval_millis", refreshMillis);
        extra.put("environment", environment);
        extra.put("goals", BenchReport.goals(outcome, refreshMillis));
        extra.put("goals_issue_13", BenchReport.goalsOfIssue13(outcome));
        extra.putAll(more);
        setup.write("bench", BenchReport.markdown(outcome, refreshMillis, environment), outcome, extra);
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Render bench.md and the charts again from a run's bench.json (the same figures; e.g. after a change of the report).")
    static final class ReportCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Option(names = "--from", defaultValue = "bench/results/bench.json", description = "The run's JSON (default: ${DEFAULT-VALUE}).")
        Path from;

        @Override
        public Integer call() throws Exception {
            ObjectMapper json = new ObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
            com.fasterxml.jackson.databind.JsonNode run = json.readTree(from.toFile());
            FullBenchmark.Outcome outcome = json.treeToValue(run.path("result"), FullBenchmark.Outcome.class);
            double refreshMillis = run.path("refresh_interval_millis").asDouble(
                    Pipeline.parseMillis(run.path("environment").path("index refresh interval").asText("1000 ms").replace(" ", "")));
            Map<String, Object> environment = json.convertValue(run.path("environment"), new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {});
            environment.put("rendered again", "from " + from + ", measured " + run.path("at").asText());
            publish(setup, outcome, refreshMillis, environment, Map.of("at", run.path("at").asText()));
            return 0;
        }
    }

    @Command(name = "freshness", mixinStandardHelpOptions = true,
            description = "Benchmark 4 alone on the running pipeline: commit → written/searchable at each rate; verify after each.")
    static final class FreshnessCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Mixin
        Load load;

        @Option(names = "--var-dir", defaultValue = "${env:VAR_DIR:-var}",
                description = "The stack's state folder, for the PID files and GC logs (default: ${DEFAULT-VALUE}).")
        Path varDir;

        @Override
        public Integer call() throws Exception {
            FullBenchmark.Settings settings = new FullBenchmark.Settings(0, List.of(), List.of(), load.rates, 0, load.warmUp, load.phase,
                    load.writers, null, varDir, null, Duration.ZERO, 0, 0);
            Map<String, Boolean> noDrift = new LinkedHashMap<>();
            List<Freshness.RateResult> results;
            List<PhaseCosts> costs;
            try (Connection db = setup.connect()) {
                Pipeline pipeline = setup.pipeline(db);
                FullBenchmark benchmark = new FullBenchmark(pipeline, null, setup::connect, db);
                try (PhaseMeter meter = PhaseMeter.of(varDir, setup.flinkUrl, pipeline)) {
                    results = benchmark.rates(settings, benchmark.mix(), benchmark.jobTarget(), noDrift, meter);
                    costs = meter.phases();
                }
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("load", load.describe());
            extra.put("job_args", System.getenv().getOrDefault("JOB_ARGS", ""));
            extra.put("costs", costs);
            setup.write("freshness", BenchReport.freshnessMarkdown(results, noDrift) + CostsReport.markdown(costs), results, extra);
            return noDrift.values().stream().allMatch(Boolean::booleanValue) ? 0 : 1;
        }
    }

    static Map<String, String> versions() throws java.io.IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var in = BenchCli.class.getResourceAsStream("/bench-versions.properties")) {
            properties.load(in);
        }
        Map<String, String> versions = new java.util.TreeMap<>();
        properties.forEach((name, version) -> versions.put((String) name, (String) version));
        return versions;
    }

    /** The Flink settings that shape the figures, as flink-conf/config.yaml has them. */
    static String flinkSettings() throws java.io.IOException {
        Path conf = Path.of("flink-conf/config.yaml");
        if (!Files.exists(conf)) {
            return "not found";
        }
        return Files.readAllLines(conf).stream()
                .filter(line -> line.matches("^(taskmanager\\.memory\\.process\\.size|taskmanager\\.numberOfTaskSlots|parallelism\\.default"
                        + "|execution\\.checkpointing\\.interval|state\\.backend\\.type):.*"))
                .map(String::trim).collect(java.util.stream.Collectors.joining(", "));
    }
}
