package io.datasync.ops;

import io.datasync.job.ServiceDefaults;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.cdc.ConnectClient;
import io.datasync.cdc.IncrementalSnapshot;
import io.datasync.job.sink.IndexManager;
import io.datasync.job.sink.IndexTargets;
import io.datasync.job.sink.OpenSearchHttp;
import io.datasync.job.sink.OpenSearchSettings;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import io.datasync.verify.ExpectedDocuments;
import io.datasync.verify.Verifier;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code make reindex}: every index of the sync spec built anew beside the live ones while search
 * keeps answering from them. A second job (stack/job.sh build) starts with empty state at the
 * topics' end and writes new concrete indexes; Debezium's incremental snapshot feeds it every row
 * while streaming goes on; once the new indexes hold every row and the verifier finds them equal
 * to PostgreSQL, one {@code _aliases} request moves every alias, the serving job is cancelled and
 * the rebuild becomes the serving job. Any failure before the swap removes the rebuild and leaves
 * the live indexes as they were.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true, description = "Rebuild every index beside the live ones and move the aliases to them.")
public final class ReindexCli implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REBUILD_JOB = "data-sync-opensearch-reindex";

    @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
    String spec;

    @Option(names = "--kafka", defaultValue = ServiceDefaults.KAFKA, description = "Kafka bootstrap (default: ${DEFAULT-VALUE}).")
    String kafka;

    @Option(names = "--connector-config", defaultValue = "debezium/postgres-connector.json", description = "Connector configuration (default: ${DEFAULT-VALUE}).")
    Path connectorConfig;

    @Option(names = "--opensearch-url", defaultValue = ServiceDefaults.OPENSEARCH, description = "OpenSearch (default: ${DEFAULT-VALUE}).")
    String openSearch;

    @Option(names = "--flink-url", defaultValue = ServiceDefaults.FLINK, description = "Flink REST / web UI (default: ${DEFAULT-VALUE}).")
    String flink;

    @Option(names = "--job-script", defaultValue = "stack/job.sh", description = "Submits and hands over the jobs (default: ${DEFAULT-VALUE}).")
    Path jobScript;

    @Option(names = "--label", description = "Suffix of the new indexes, <alias>_v<version>_LABEL (default: the UTC time, yyyyMMdd-HHmmss).")
    String label;

    @Option(names = "--snapshot-timeout", defaultValue = "PT2H", description = "Longest incremental snapshot (default: ${DEFAULT-VALUE}).")
    Duration snapshotTimeout;

    @Option(names = "--catch-up-stall", defaultValue = "PT10M",
            description = "Give up when the rebuild neither gained documents nor shrank its backlog for this long (default: ${DEFAULT-VALUE}).")
    Duration catchUpStall;

    @Option(names = "--catch-up-timeout", defaultValue = "PT3H", description = "Longest wait in any case for the new indexes to hold every row (default: ${DEFAULT-VALUE}).")
    Duration catchUpTimeout;

    @Option(names = "--verify-wait", defaultValue = "PT5M",
            description = "How long a document may differ while changes stream before it counts as drift (default: ${DEFAULT-VALUE}).")
    Duration verifyWait;

    @Option(names = "--ignore-field", split = ",", paramLabel = "FIELD", description = "Document fields the verifier leaves out (plug-in fields).")
    Set<String> ignoredFields = new java.util.LinkedHashSet<>();

    @Option(names = "--delete-old", defaultValue = "ask",
            description = "The old indexes after the swap: now, keep, ask (on a terminal; kept otherwise), or a grace period such as PT10M (default: ${DEFAULT-VALUE}).")
    String deleteOld;

    @Option(names = "--cleanup", description = "Only delete the indexes of the spec's aliases that no alias serves (left by earlier re-indexes), then exit.")
    boolean cleanup;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Opened on first use and kept for the run: the catch-up asks for counts every second, for hours at seed size. */
    private OpenSearchHttp openSearchClient;
    private FlinkJobMetrics jobMetrics;
    private final PrintWriter out = new PrintWriter(System.out, true);
    private final PrintWriter err = new PrintWriter(System.err, true);

    public static void main(String[] args) {
        Commands.exit(new ReindexCli(), args, 1);
    }

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            if (openSearchClient != null) {
                openSearchClient.close();
            }
        }
    }

    private int run() throws Exception {
        SyncSpec syncSpec = SyncSpecParser.parse(spec);
        if (cleanup) {
            return cleanup(syncSpec);
        }
        String runLabel = label != null ? label : LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (runningJob("data-sync-opensearch") == null) {
            // E.g. refused to restore across deleted history, or after a lost replication slot: the rebuild is the way back.
            out.println("no job serves the current indexes (search answers from them as they are): the rebuild becomes the serving job");
        }
        Map<String, List<String>> live = new LinkedHashMap<>();
        Map<String, String> next = new LinkedHashMap<>();
        for (IndexSpec index : syncSpec.indexes()) {
            live.put(index.name(), aliasTargets(index.name()));
            next.put(index.name(), IndexTargets.rebuilt(index, runLabel));
        }
        long started = System.nanoTime();
        Timings timings = new Timings();
        step(1, "building " + String.join(", ", next.values()) + " beside the live " + live.values().stream().flatMap(List::stream).toList());
        String rebuild;
        try {
            shell(jobScript.toString(), "build", runLabel);
            rebuild = runningJob(REBUILD_JOB);
            if (rebuild == null) {
                throw new IllegalStateException("the rebuild job is not running after stack/job.sh build");
            }
        } catch (Exception e) {
            // The job's submission created the new indexes before it failed.
            err.println("error: " + e.getMessage() + "; deleting " + next.values() + " (the live indexes were not touched)");
            for (String index : next.values()) {
                try {
                    send("DELETE", "/" + index, null);
                } catch (IllegalStateException notThere) {
                    // never created
                }
            }
            return 1;
        }
        try {
            timings.mark("start");
            step(2, "Debezium's incremental snapshot of every table, streaming going on");
            if (!IncrementalSnapshot.run(ConnectClient.readConfig(connectorConfig), null, snapshotTimeout, kafka, ConnectionSettings.fromEnvironment(System.getenv()),
                    out, err)) {
                return abort(rebuild, next, "the incremental snapshot did not complete");
            }
            timings.mark("snapshot");
            step(3, "the rebuild catching up with the tables");
            try (Connection db = ConnectionSettings.fromEnvironment(System.getenv()).connect()) {
                if (!awaitCatchUp(syncSpec, db, next, rebuild)) {
                    return abort(rebuild, next, "the rebuild did not catch up with the topics and tables (no progress for " + catchUpStall
                            + ", or more than " + catchUpTimeout + " in all)");
                }
                timings.mark("catch-up");
                // Built with bulk-loading settings (IndexManager): the mapping's own back, everything durable and searchable.
                IndexManager indexes = new IndexManager(OpenSearchSettings.from(openSearch, System.getenv()));
                for (IndexSpec index : syncSpec.indexes()) {
                    indexes.goLive(index, spec, next.get(index.name()));
                }
                step(4, "verifying the new indexes against PostgreSQL (a document may differ for up to " + verifyWait + " while changes stream)");
                OpenSearchSettings credentials = OpenSearchSettings.from(openSearch, System.getenv());
                List<Verifier.IndexReport> reports = new Verifier(syncSpec, db, openSearch, credentials.username().orElse(null),
                        credentials.password().orElse(null), ignoredFields, next).reportingProgress(out::println).verifySettled(10, verifyWait);
                reports.forEach(out::println);
                if (!reports.stream().allMatch(Verifier.IndexReport::clean)) {
                    reports.stream().flatMap(r -> r.firstMismatches().stream()).forEach(line -> out.println("  " + line));
                    return abort(rebuild, next, "the new indexes differ from PostgreSQL");
                }
            }
            timings.mark("verification");
            step(5, "moving the aliases in one request");
            long swapStarted = System.nanoTime();
            JsonNode swapped = send("POST", "/_aliases", AliasSwap.body(live, next));
            if (!swapped.path("acknowledged").asBoolean()) {
                return abort(rebuild, next, "OpenSearch did not acknowledge the alias swap: " + swapped);
            }
            out.printf("aliases moved in %d ms: %s%n", (System.nanoTime() - swapStarted) / 1_000_000, next);
            timings.mark("swap");
        } catch (Exception e) {
            return abort(rebuild, next, e.getMessage());
        }
        step(6, "the rebuild becomes the serving job (the old one is cancelled)");
        try {
            shell(jobScript.toString(), "promote", rebuild);
        } catch (Exception e) {
            // Search already answers from the new indexes, which the rebuild job keeps writing while it runs.
            err.println("error: " + e.getMessage() + "; the aliases already point at " + next.values() + ": finish the handover with"
                    + " stack/job.sh promote " + rebuild + " (make status shows what runs)");
            return 1;
        }
        timings.mark("handover");
        out.printf("re-indexed in %.1f s: search answered from the old indexes until the swap and from the new ones since%n",
                (System.nanoTime() - started) / 1e9);
        out.println("steps: " + timings);
        deleteOldIndexes(live.values().stream().flatMap(List::stream).toList());
        return 0;
    }

    /** How long each step took, in the order they ran ("start 11.2 s, snapshot 92.0 s, …"): make bench reads this line. */
    static final class Timings {
        private final Map<String, Long> millis = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void mark(String step) {
            long now = System.nanoTime();
            millis.put(step, (now - last) / 1_000_000);
            last = now;
        }

        @Override
        public String toString() {
            return String.join(", ", millis.entrySet().stream().map(e -> e.getKey().equals("swap")
                    ? "swap " + e.getValue() + " ms" : String.format("%s %.1f s", e.getKey(), e.getValue() / 1000.0)).toList());
        }
    }

    private void step(int number, String what) {
        out.printf("[%d/6] %s%n", number, what);
    }

    /**
     * Waits until the rebuild has read the topics up to a few seconds of changes (its source's
     * pendingRecords) and each new index holds at least 99% of its table's rows or what the table
     * held ten seconds before ({@link RowsBehind}; documents of the snapshot are released after it),
     * printing both every 10 s. Exact equality is the verifier's job: under a change load the
     * counts are rarely equal at the instant they are read.
     */
    private boolean awaitCatchUp(SyncSpec syncSpec, Connection db, Map<String, String> next, String rebuild) throws Exception {
        long deadline = System.nanoTime() + catchUpTimeout.toNanos();
        CatchUpProgress progress = new CatchUpProgress(catchUpStall, System.nanoTime());
        Map<String, RowsBehind> behind = new LinkedHashMap<>();
        syncSpec.indexes().forEach(index -> behind.put(index.name(), new RowsBehind(Duration.ofSeconds(10))));
        long printed = 0;
        while (System.nanoTime() < deadline && !progress.stalled(System.nanoTime())) {
            List<String> counts = new ArrayList<>();
            boolean near = true;
            long written = 0;
            for (IndexSpec index : syncSpec.indexes()) {
                long rows = ExpectedDocuments.count(db, syncSpec, index);
                long documents = send("GET", "/" + next.get(index.name()) + "/_count", null).path("count").asLong();
                counts.add(StatusTable.counts(rows, documents) + " (" + index.name() + ")");
                near &= behind.get(index.name()).caughtUp(documents, rows, System.nanoTime());
                written += documents;
            }
            long pending = pendingRecords(rebuild);
            progress.observe(written, pending, System.nanoTime());
            boolean caughtUp = near && pending >= 0 && pending <= LoadProgress.CAUGHT_UP_RECORDS;
            if (caughtUp || System.nanoTime() - printed > Duration.ofSeconds(10).toNanos()) {
                out.println(String.join(" · ", counts) + String.format(" · %,d records still to read", pending));
                printed = System.nanoTime();
            }
            if (caughtUp) {
                return true;
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    /** The records the job's Kafka source has yet to read (its pendingRecords metric, summed over subtasks); -1 before it reports. */
    private long pendingRecords(String job) throws Exception {
        if (jobMetrics == null) {
            jobMetrics = new FlinkJobMetrics(flink);
        }
        FlinkJobMetrics.Aggregate pending = jobMetrics.read(job, Set.of("pendingRecords")).get("pendingRecords");
        return pending == null ? -1 : (long) pending.sum();
    }

    /** Before the swap nothing else changed: the rebuild goes, with its indexes; the live ones keep serving. */
    private int abort(String rebuild, Map<String, String> next, String why) throws Exception {
        err.println("error: " + why + "; cancelling the rebuild and deleting " + next.values() + " (the live indexes were not touched)");
        shell(jobScript.toString(), "abandon", rebuild);
        for (String index : next.values()) {
            send("DELETE", "/" + index, null);
        }
        return 1;
    }

    private void deleteOldIndexes(List<String> old) throws Exception {
        String when = deleteOld;
        if ("ask".equals(when)) {
            if (System.console() == null) {
                when = "keep";
            } else {
                String answer = System.console().readLine("delete the old indexes %s now? [y/N] ", old);
                when = answer != null && answer.strip().equalsIgnoreCase("y") ? "now" : "keep";
            }
        }
        if ("keep".equals(when)) {
            out.println("the old indexes are kept: " + old + "; make reindex-cleanup deletes every index no alias serves");
            return;
        }
        if (!"now".equals(when)) {
            Duration grace = Duration.parse(when);
            out.println("deleting the old indexes " + old + " in " + grace);
            Thread.sleep(grace.toMillis());
        }
        for (String index : old) {
            send("DELETE", "/" + index, null);
        }
        out.println("deleted " + old);
    }

    private int cleanup(SyncSpec syncSpec) throws Exception {
        List<String> aliases = syncSpec.indexes().stream().map(IndexSpec::name).toList();
        Set<String> served = new java.util.HashSet<>();
        for (String alias : aliases) {
            served.addAll(aliasTargets(alias));
        }
        List<String> existing = new ArrayList<>();
        send("GET", "/_cat/indices?h=index&format=json", null).forEach(row -> existing.add(row.path("index").asText()));
        List<String> leftovers = AliasSwap.unserved(aliases, existing, served);
        for (String index : leftovers) {
            send("DELETE", "/" + index, null);
        }
        out.println(leftovers.isEmpty() ? "no index left behind: every index of " + aliases + " is served" : "deleted " + leftovers);
        return 0;
    }

    private List<String> aliasTargets(String alias) throws Exception {
        List<String> targets = new IndexManager(OpenSearchSettings.from(openSearch, System.getenv())).aliasTargets(alias);
        if (targets.isEmpty()) {
            throw new IllegalStateException("alias " + alias + " does not exist: nothing to re-index (make up creates it)");
        }
        return targets;
    }

    /** The ID of the RUNNING job with this name, or null. */
    private String runningJob(String name) throws Exception {
        for (JsonNode job : JSON.readTree(sendRaw("GET", flink + "/jobs/overview", null)).path("jobs")) {
            if (name.equals(job.path("name").asText()) && "RUNNING".equals(job.path("state").asText())) {
                return job.path("jid").asText();
            }
        }
        return null;
    }

    private void shell(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + ")");
        }
    }

    /** OpenSearch, through its own client with the job's reading of the credentials; an error status is an exception naming it. */
    private JsonNode send(String method, String path, String body) throws Exception {
        if (openSearchClient == null) {
            openSearchClient = new OpenSearchHttp(OpenSearchSettings.from(openSearch, System.getenv()));
        }
        OpenSearchHttp.Answer answer = openSearchClient.send(method, path, body);
        if (!answer.ok()) {
            throw new IllegalStateException(method + " " + openSearch + path + ": HTTP " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** Flink's REST API. */
    private String sendRaw(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
