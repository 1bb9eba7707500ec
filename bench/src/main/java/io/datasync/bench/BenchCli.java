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

    @Command(name = "ceiling", mixinStandardHelpOptions = true,
            description = "Bulk-load the final documents (computed with SQL) into empty indexes: this machine's OpenSearch ceiling.")
    static final class CeilingCommand implements Callable<Integer> {
        @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
        String spec;

        @Option(names = "--opensearch-url", defaultValue = "http://127.0.0.1:${env:OPENSEARCH_PORT:-9200}", description = "OpenSearch (default: ${DEFAULT-VALUE}).")
        String openSearchUrl;

        @Option(names = "--pg-port", defaultValue = "${env:PGPORT:-5432}", description = "PostgreSQL port; the rest from PG* variables (default: ${DEFAULT-VALUE}).")
        int pgPort;

        @Option(names = "--sweep-documents", defaultValue = "100000", description = "Documents per sweep run (default: ${DEFAULT-VALUE}).")
        int sweepDocuments;

        @Option(names = "--bulk-sizes", split = ",", defaultValue = "1000,5000", description = "Bulk sizes swept (default: ${DEFAULT-VALUE}).")
        List<Integer> bulkSizes;

        @Option(names = "--concurrency", split = ",", defaultValue = "1,2", description = "Requests in flight swept (default: ${DEFAULT-VALUE}).")
        List<Integer> concurrencies;

        @Option(names = "--out", defaultValue = "bench/results", description = "Folder for ceiling.json and ceiling.md (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() throws Exception {
            Ceiling.Result result;
            ConnectionSettings env = ConnectionSettings.fromEnvironment(System.getenv());
            try (Connection db = new ConnectionSettings(env.host(), pgPort, env.database(), env.user(), env.password()).connect()) {
                result = new Ceiling(SyncSpecParser.parse(spec), spec, openSearchUrl).measure(db, sweepDocuments, bulkSizes, concurrencies);
            }
            String markdown = CeilingReport.markdown(result, machine());
            System.out.print(markdown);
            Files.createDirectories(out);
            Files.writeString(out.resolve("ceiling.md"), markdown);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "ceiling");
            json.put("at", Instant.now().toString());
            json.put("machine", machine());
            json.put("result", result);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("ceiling.json").toFile(), json);
            return 0;
        }

        static Map<String, Object> machine() {
            Map<String, Object> machine = new LinkedHashMap<>();
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            machine.put("memory_gib", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize() / (1L << 30));
            machine.put("java", System.getProperty("java.version"));
            return machine;
        }
    }

    @Command(name = "job", mixinStandardHelpOptions = true,
            description = "Stop the job, delete its indexes, start it without state and time it until every document is written.")
    static final class JobCommand implements Callable<Integer> {
        @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
        String spec;

        @Option(names = "--opensearch-url", defaultValue = "http://127.0.0.1:${env:OPENSEARCH_PORT:-9200}", description = "OpenSearch (default: ${DEFAULT-VALUE}).")
        String openSearchUrl;

        @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        java.time.Duration timeout;

        @Option(names = "--out", defaultValue = "bench/results", description = "Folder for job.json and job.md (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() throws Exception {
            JobThroughput.Result result;
            try (Connection db = ConnectionSettings.fromEnvironment(System.getenv()).connect()) {
                result = new JobThroughput(SyncSpecParser.parse(spec), openSearchUrl, Path.of("").toAbsolutePath()).measure(db, timeout);
            }
            Double ceiling = CeilingReport.ceilingDocsPerSecond(out.resolve("ceiling.json"));
            String markdown = CeilingReport.jobMarkdown(result, ceiling, CeilingCommand.machine());
            System.out.print(markdown);
            Files.createDirectories(out);
            Files.writeString(out.resolve("job.md"), markdown);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("benchmark", "job");
            json.put("at", Instant.now().toString());
            json.put("machine", CeilingCommand.machine());
            json.put("result", result);
            json.put("docs_per_second", result.docsPerSecond());
            json.put("ceiling_docs_per_second", ceiling);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("job.json").toFile(), json);
            return result.noDrift() ? 0 : 1;
        }
    }
}
