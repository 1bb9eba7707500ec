package io.datasync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code make bench-ceiling}: the ceiling measurement, printed and written to {@code bench/results/}. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCli.CeilingCommand.class, BenchCli.JobCommand.class},
        description = "Benchmarks of the pipeline (issue 6); see bench/README.md.")
public final class BenchCli {
    public static void main(String[] args) {
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

        @Option(names = "--opensearch-url", defaultValue = "http://127.0.0.1:${env:OPENSEARCH_PORT:-9200}", description = "OpenSearch (default: ${DEFAULT-VALUE}).")
        String openSearchUrl;

        @Option(names = "--pg-port", defaultValue = "${env:PGPORT:-5432}", description = "PostgreSQL port; the rest from PG* variables (default: ${DEFAULT-VALUE}).")
        int pgPort;

        @Option(names = "--out", defaultValue = "bench/results", description = "Folder for <benchmark>.json and <benchmark>.md (default: ${DEFAULT-VALUE}).")
        Path out;

        Connection connect() throws java.sql.SQLException {
            ConnectionSettings env = ConnectionSettings.fromEnvironment(System.getenv());
            return new ConnectionSettings(env.host(), pgPort, env.database(), env.user(), env.password()).connect();
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

    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_gib", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1L << 30));
        machine.put("java", System.getProperty("java.version"));
        return machine;
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
            try (Connection db = setup.connect()) {
                result = new Ceiling(SyncSpecParser.parse(setup.spec), setup.spec, setup.openSearchUrl).measure(db, sweepDocuments, bulkSizes, concurrencies);
            }
            setup.write("ceiling", CeilingReport.markdown(result, machine()), result, Map.of());
            return 0;
        }
    }

    @Command(name = "job", mixinStandardHelpOptions = true,
            description = "Stop the job, delete its indexes, start it without state and time it until every document is written.")
    static final class JobCommand implements Callable<Integer> {
        @Mixin
        Setup setup;

        @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        java.time.Duration timeout;

        @Override
        public Integer call() throws Exception {
            JobThroughput.Result result;
            try (Connection db = setup.connect()) {
                result = new JobThroughput(SyncSpecParser.parse(setup.spec), setup.openSearchUrl, Path.of("").toAbsolutePath()).measure(db, timeout);
            }
            Double ceiling = CeilingReport.ceilingDocsPerSecond(setup.out.resolve("ceiling.json"));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("docs_per_second", result.docsPerSecond());
            extra.put("ceiling_docs_per_second", ceiling);
            setup.write("job", CeilingReport.jobMarkdown(result, ceiling, machine()), result, extra);
            return result.noDrift() ? 0 : 1;
        }
    }
}
