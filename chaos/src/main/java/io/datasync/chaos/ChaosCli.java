package io.datasync.chaos;

import io.datasync.job.ServiceDefaults;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.datasync.bench.BenchCli;
import io.datasync.bench.Pipeline;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code make chaos}: every fault of {@link Fault} on the running pipeline, judged by the verifier; exit 1 when any fault lost, duplicated, resurrected or staled a document. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Inject faults into the running pipeline under a steady change load and verify OpenSearch against PostgreSQL after each.")
public final class ChaosCli implements Callable<Integer> {
    @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
    String spec;

    @Option(names = "--opensearch-url", defaultValue = ServiceDefaults.OPENSEARCH, description = "OpenSearch (default: ${DEFAULT-VALUE}).")
    String openSearchUrl;

    @Option(names = "--flink-url", defaultValue = ServiceDefaults.FLINK, description = "Flink's REST API (default: ${DEFAULT-VALUE}).")
    String flinkUrl;

    @Option(names = "--pg-port", defaultValue = "${env:PGPORT:-5432}", description = "PostgreSQL port; the rest from PG* variables (default: ${DEFAULT-VALUE}).")
    int pgPort;

    @Option(names = "--var-dir", defaultValue = "${env:VAR_DIR:-var}", description = "The stack's state folder, for its logs (default: ${DEFAULT-VALUE}).")
    Path varDir;

    @Option(names = "--topic-plan", defaultValue = "debezium/topics.json", description = "Topics recreated for the snapshot fault (default: ${DEFAULT-VALUE}).")
    Path topicPlan;

    @Option(names = "--out", defaultValue = "chaos/results", description = "Folder for chaos.md and chaos.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--faults", split = ",", defaultValue = "taskmanager-snapshot,taskmanager-streaming,jobmanager,connect,opensearch,kafka,savepoint-burst,taskmanager-after-load",
            description = "Faults to run, in this order (default: all: ${DEFAULT-VALUE}).")
    List<String> faults;

    @Option(names = "--rate", defaultValue = "200", description = "Steady change rate, per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--load", defaultValue = "PT90S", description = "Load per fault, ISO-8601 (default: ${DEFAULT-VALUE}; 7 faults × 90 s × 200/s = 126,000 changes).")
    Duration load;

    @Option(names = "--lead", defaultValue = "PT20S", description = "Load before the fault is injected (default: ${DEFAULT-VALUE}).")
    Duration lead;

    @Option(names = "--outage", defaultValue = "PT60S", description = "How long OpenSearch stays away (default: ${DEFAULT-VALUE}).")
    Duration outage;

    @Option(names = "--burst", defaultValue = "4", description = "The burst of the savepoint fault, as a multiple of --rate (default: ${DEFAULT-VALUE}).")
    double burst;

    @Option(names = "--long-rate", defaultValue = "1000", description = "Change rate of the long load before taskmanager-after-load, per second (default: ${DEFAULT-VALUE}).")
    double longRate;

    @Option(names = "--long-lead", defaultValue = "PT12M", description = "How long that load runs before the TaskManager is killed (default: ${DEFAULT-VALUE}).")
    Duration longLead;

    @Option(names = "--writers", defaultValue = "4", description = "JDBC connections applying the changes (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--recovery-timeout", defaultValue = "PT10M", description = "Longest wait for the pipeline to recover from a fault (default: ${DEFAULT-VALUE}).")
    Duration recoveryTimeout;

    @Option(names = "--verify-timeout", defaultValue = "PT10M", description = "Longest wait after a fault's load for the job to read its backlog and the verifier to find no drift (default: ${DEFAULT-VALUE}).")
    Duration verifyTimeout;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the change mix: the same seed draws the same changes on the same data (default: ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChaosCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    e.printStackTrace(cmd.getErr());
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                })
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Fault> chosen = faults.stream().map(Fault::ofSlug).toList();
        String runId = Long.toString(Instant.now().getEpochSecond(), 36);
        ChaosRun.Settings settings = new ChaosRun.Settings(rate, load, lead, outage, burst, longRate, longLead, writers, recoveryTimeout, verifyTimeout, seed, varDir, topicPlan, runId);
        List<FaultResult> results = new ArrayList<>();
        try (Connection db = connect()) {
            long rowsAtStart = rows(db);
            Pipeline pipeline = new Pipeline(SyncSpecParser.parse(spec), openSearchUrl, Path.of("").toAbsolutePath(), db);
            ChaosRun run = new ChaosRun(pipeline, this::connect, db, new FlinkRest(flinkUrl), settings);
            for (Fault fault : chosen) {
                FaultResult result = run.run(fault);
                results.add(result);
                ChaosRun.log("%s: %s", fault.slug(), result.passed() ? "PASS" : "FAIL");
                write(results, settings, rowsAtStart);
            }
        }
        return results.stream().allMatch(FaultResult::passed) ? 0 : 1;
    }

    private void write(List<FaultResult> results, ChaosRun.Settings settings, long rowsAtStart) throws Exception {
        String setup = String.format(Locale.ROOT, "Run %s, %s: %,d %s rows at the start; a steady mixed load (inserts, likes, renames that fan out, moves,"
                + " deletes, cascading video deletes) of %.0f changes/s for %s per fault over %d JDBC connections, the fault after %s; OpenSearch outage %s;"
                + " the burst %.0f×; before taskmanager-after-load %.0f changes/s for %s; change mix seed %d. Machine: %s.", settings.runId(), Instant.now(),
                rowsAtStart, "PostgreSQL", rate, load, writers, lead, outage, burst, longRate, longLead, seed, BenchCli.machine());
        String markdown = ChaosReport.markdown(results, setup);
        Files.createDirectories(out);
        Files.writeString(out.resolve("chaos.md"), markdown);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run", settings.runId());
        json.put("at", Instant.now().toString());
        json.put("machine", BenchCli.machine());
        json.put("settings", Map.of("rate", rate, "load", load.toString(), "lead", lead.toString(), "outage", outage.toString(), "burst", burst,
                "long_rate", longRate, "long_lead", longLead.toString(), "writers", writers, "seed", seed));
        json.put("results", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("chaos.json").toFile(), json);
        System.out.print(markdown.substring(0, markdown.indexOf("\n## ") < 0 ? markdown.length() : markdown.indexOf("\n## ")));
    }

    private static long rows(Connection db) throws java.sql.SQLException {
        try (var statement = db.createStatement();
                var rs = statement.executeQuery("SELECT (SELECT count(*) FROM videos) + (SELECT count(*) FROM users) + (SELECT count(*) FROM comments)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() throws java.sql.SQLException {
        return ConnectionSettings.fromEnvironment(System.getenv()).withPort(pgPort).connect();
    }
}
