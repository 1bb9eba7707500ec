package io.datasync.verify;

import io.datasync.job.ServiceDefaults;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make verify}: exit 0 when every index equals what PostgreSQL says, 1 on drift. With
 * {@code --wait}, checks again until clean or the time is up (the pipeline catching up).
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = "Compare every OpenSearch document with PostgreSQL.")
public final class VerifyCli implements Callable<Integer> {
    @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
    String spec;

    @Option(names = "--opensearch-url", defaultValue = ServiceDefaults.OPENSEARCH, description = "OpenSearch (default: ${DEFAULT-VALUE}).")
    String openSearchUrl;

    @Option(names = "--max-mismatches", defaultValue = "10", description = "Mismatches printed per index (default: ${DEFAULT-VALUE}).")
    int maxMismatches;

    @Option(names = "--ignore-field", split = ",", paramLabel = "FIELD",
            description = "A document field not compared (dotted path; repeatable or comma-separated), e.g. the fields a transform plug-in adds.")
    Set<String> ignoredFields = new LinkedHashSet<>();

    @Option(names = "--wait", defaultValue = "PT0S", description = "Keep checking until clean for up to this long, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--read-from", paramLabel = "INDEX=CONCRETE", split = ",",
            description = "Read an index of the spec from this concrete index instead of its alias, e.g. comments_index=comments_index_v1_20261201-1700"
                    + " (a rebuilt index before the aliases move to it).")
    Map<String, String> readFrom = new java.util.LinkedHashMap<>();

    @Option(names = "--under-load", description = "Changes are still coming: drift is only a document that differs in a full pass"
            + " and in every check of it again during --wait after that pass.")
    boolean underLoad;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VerifyCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                })
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SyncSpec syncSpec = SyncSpecParser.parse(spec);
        long started = System.nanoTime();
        try (Connection db = ConnectionSettings.fromEnvironment(System.getenv()).connect()) {
            // The job's own reading of the credentials (OPENSEARCH_USERNAME, OPENSEARCH_PASSWORD or OPENSEARCH_PASSWORD_FILE).
            io.datasync.job.sink.OpenSearchSettings credentials = io.datasync.job.sink.OpenSearchSettings.from(openSearchUrl, System.getenv());
            Verifier verifier = new Verifier(syncSpec, db, openSearchUrl, credentials.username().orElse(null), credentials.password().orElse(null),
                    ignoredFields, readFrom).reportingProgress(System.err::println);
            List<Verifier.IndexReport> reports = underLoad ? verifier.verifySettled(maxMismatches, wait) : verifier.verifyUntilClean(maxMismatches, wait);
            boolean clean = reports.stream().allMatch(Verifier.IndexReport::clean);
            reports.forEach(System.out::println);
            reports.stream().flatMap(r -> r.firstMismatches().stream()).forEach(line -> System.out.println("  " + line));
            System.out.printf("%s in %.1f s%n", clean ? "no drift" : "DRIFT", (System.nanoTime() - started) / 1e9);
            return clean ? 0 : 1;
        }
    }
}
