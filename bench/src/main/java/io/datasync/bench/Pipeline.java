package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.cdc.CdcCli;
import io.datasync.cdc.ConnectorReset;
import io.datasync.cdc.ConnectClient;
import io.datasync.cdc.TopicPlan;
import io.datasync.cdc.TopicProvisioner;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec;
import io.datasync.postgres.changes.Change;
import io.datasync.verify.Verifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The running pipeline as the benchmarks drive it: the stack's own scripts for the job, Connect's
 * REST API for the connector, Kafka's admin client for the topics, OpenSearch counts and the
 * verifier. Everything the benchmarks do to the pipeline goes through here.
 */
public final class Pipeline {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** When the last document arrived and when the first did, in seconds from the start. */
    record Arrival(double seconds, double firstDocumentSeconds) {}

    private final SyncSpec spec;
    private final String openSearchUrl;
    private final OpenSearchRest openSearch;
    private final Path root;
    private final Connection db;
    private final ConnectClient connect = new ConnectClient(CdcCli.connectUrl(System.getenv()));

    public Pipeline(SyncSpec spec, String openSearchUrl, Path root, Connection db) {
        this.spec = spec;
        this.openSearchUrl = openSearchUrl;
        this.openSearch = new OpenSearchRest(openSearchUrl);
        this.root = root;
        this.db = db;
    }

    public SyncSpec spec() {
        return spec;
    }

    public OpenSearchRest openSearch() {
        return openSearch;
    }

    public String openSearchUrl() {
        return openSearchUrl;
    }

    /** The repository the stack scripts and make run from. */
    public Path root() {
        return root;
    }

    /** Whether PostgreSQL still holds what the change wrote (the value, or for a delete: no row). */
    boolean stillCurrent(Change change) {
        IndexSpec index = spec.indexes().stream().filter(i -> i.table().equals(change.table())).findFirst().orElseThrow();
        String sql = "SELECT " + (change.deletes() ? "1" : change.column() + "::text") + " FROM " + change.table() + " WHERE " + index.key() + " = ?";
        try (var statement = db.prepareStatement(sql)) {
            statement.setString(1, change.key());
            try (ResultSet rs = statement.executeQuery()) {
                return change.deletes() ? !rs.next() : rs.next() && change.value().equals(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + change.row() + " back: " + e.getMessage(), e);
        }
    }

    /** Rows of each index's root table, by index alias. */
    public Map<String, Long> rowsPerIndex() throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement statement = db.createStatement()) {
            for (IndexSpec index : spec.indexes()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + index.table())) {
                    rs.next();
                    rows.put(index.name(), rs.getLong(1));
                }
            }
        }
        return rows;
    }

    /** The documents each index must hold (its table's rows minus soft-deleted and filtered ones), by index alias. */
    public Map<String, Long> documentsPerIndex() throws SQLException {
        Map<String, Long> documents = new LinkedHashMap<>();
        for (IndexSpec index : spec.indexes()) {
            documents.put(index.name(), io.datasync.verify.ExpectedDocuments.count(db, spec, index));
        }
        return documents;
    }

    /** The refresh interval of the first index (how long until a written document is searchable), in milliseconds. */
    double refreshIntervalMillis() throws Exception {
        JsonNode settings = openSearch.json("GET", "/" + spec.indexes().get(0).name() + "/_settings?include_defaults=true&flat_settings=true", null);
        String interval = "1s";
        for (JsonNode index : settings) {
            interval = index.path("settings").path("index.refresh_interval").asText(index.path("defaults").path("index.refresh_interval").asText("1s"));
        }
        return parseMillis(interval);
    }

    static double parseMillis(String interval) {
        if (interval.endsWith("ms")) {
            return Double.parseDouble(interval.substring(0, interval.length() - 2));
        }
        if (interval.endsWith("s")) {
            return Double.parseDouble(interval.substring(0, interval.length() - 1)) * 1000;
        }
        throw new IllegalArgumentException("unexpected refresh interval " + interval);
    }

    /** Index and delete operations OpenSearch has applied to the job's indexes so far (primaries). */
    public long documentWrites() throws Exception {
        return documentWrites(spec.indexes().stream().map(IndexSpec::name).toList());
    }

    /** The same for any indexes or aliases (0 for those that do not exist). */
    long documentWrites(java.util.Collection<String> indexes) throws Exception {
        JsonNode indexing = openSearch.json("GET", "/" + String.join(",", indexes) + "/_stats/indexing?ignore_unavailable=true", null)
                .path("_all").path("primaries").path("indexing");
        return indexing.path("index_total").asLong() + indexing.path("delete_total").asLong();
    }

    /** Deletes each alias's indexes: the version's first build or, after make reindex, a rebuild of it. */
    public void deleteIndexes() throws Exception {
        for (IndexSpec index : spec.indexes()) {
            var served = openSearch.send("GET", "/_alias/" + index.name(), null);
            if (served.statusCode() == 200) {
                for (var concrete = JSON.readTree(served.body()).fieldNames(); concrete.hasNext(); ) {
                    openSearch.send("DELETE", "/" + concrete.next(), null);
                }
            }
            openSearch.send("DELETE", "/" + index.concreteIndex(), null);
        }
    }

    /** Polls the document counts (every 500 ms) from {@code startNanos} until each index holds the documents expected. */
    Arrival awaitDocuments(Map<String, Long> documents, long startNanos, Duration timeout) throws Exception {
        double first = -1;
        while (true) {
            long written = 0;
            boolean all = true;
            for (Map.Entry<String, Long> index : documents.entrySet()) {
                long count = openSearch.count(index.getKey());
                written += count;
                all &= count == index.getValue();
            }
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            if (first < 0 && written > 0) {
                first = elapsed;
            }
            if (all) {
                return new Arrival(elapsed, first);
            }
            if (elapsed > timeout.toSeconds()) {
                throw new IllegalStateException(String.format("after %s only %,d of %,d documents were written", timeout, written,
                        documents.values().stream().mapToLong(Long::longValue).sum()));
            }
            Thread.sleep(500);
        }
    }

    /** The job's consumer group, as the stack starts it (the job's default). */
    static final String JOB_GROUP = "data-sync-job";

    /** How long the verifier after a phase waits for the job to work through a backlog the phase left. */
    static final Duration CATCH_UP = Duration.ofMinutes(30);

    /**
     * Whether the verifier finds no drift, checking again for up to {@code wait}; if it does find some,
     * once more after the job has read what the phase wrote: a pass while the job still works through
     * a backlog (a rate it does not sustain) measures its lag, not drift. (The wait reads the offsets
     * the job's group commits on checkpoints, a minute apart: only when needed.)
     */
    boolean noDrift(Duration wait) throws Exception {
        List<Verifier.IndexReport> reports = verify(wait);
        boolean clean = reports.stream().allMatch(Verifier.IndexReport::clean);
        if (!clean) {
            // The offsets first, then the writes the job still makes after committing them; then a pass again even if
            // neither had to wait: the job may have caught up during the passes above, after the last one began (a
            // 12-minute window with JFR on, 2026-12-05, was reported as drift that way and verified clean 2 minutes later).
            awaitJobCaughtUp(CATCH_UP);
            awaitWritesSettled(WRITES_SETTLED, CATCH_UP);
            reports = verify(wait);
            clean = reports.stream().allMatch(Verifier.IndexReport::clean);
        }
        if (!clean) {
            reports.forEach(report -> System.err.println("drift: " + report));
        }
        return clean;
    }

    /**
     * Waits until the job's group has committed (on its checkpoints) every record of the spec's topics,
     * up to {@code timeout}; says how long that took, or that it did not happen (the verifier then
     * judges what is there).
     */
    void awaitJobCaughtUp(Duration timeout) throws Exception {
        long start = System.nanoTime();
        try (Admin admin = CdcCli.admin()) {
            while (true) {
                long behind = backlog(admin, JOB_GROUP);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (behind <= 0) {
                    if (seconds >= 5) {
                        System.out.printf("  the job had read every change %.0f s later; verifying again%n", seconds);
                    }
                    return;
                }
                if (seconds > timeout.toSeconds()) {
                    System.out.printf("  the job still had %,d records to read %s later; verifying again anyway%n", behind, timeout);
                    return;
                }
                Thread.sleep(2_000);
            }
        }
    }

    /** How long OpenSearch must apply no write to the job's indexes before the job counts as done with a phase's changes. */
    static final Duration WRITES_SETTLED = Duration.ofSeconds(20);

    /**
     * Waits until OpenSearch has applied no write to the job's indexes for {@code quiet} (the phase's load has ended, so
     * the job is then done with its changes), up to {@code timeout}.
     * Committed offsets alone do not say so: a checkpoint commits them while work they started is still in the job's
     * state (a rename's fan-out to thousands of comments on timers; the 12-minute window of 2026-12-05 left ~4 minutes
     * of it after the offsets had caught up).
     */
    void awaitWritesSettled(Duration quiet, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long writes = documentWrites();
        long changedAt = start;
        while (true) {
            Thread.sleep(2_000);
            long now = System.nanoTime();
            long current = documentWrites();
            if (current != writes) {
                writes = current;
                changedAt = now;
            }
            double seconds = (now - start) / 1e9;
            if (now - changedAt >= quiet.toNanos()) {
                if (changedAt > start) {
                    System.out.printf("  the job wrote its last document %.0f s later; verifying again%n", (changedAt - start) / 1e9);
                }
                return;
            }
            if (seconds > timeout.toSeconds()) {
                System.out.printf("  the job was still writing %s later; verifying again anyway%n", timeout);
                return;
            }
        }
    }

    /** Records of the spec's topics past the offsets consumer group {@code groupId} has committed. */
    long backlog(Admin admin, String groupId) throws Exception {
        Set<String> topics = spec.indexes().stream().map(index -> spec.topic(index.table())).collect(java.util.stream.Collectors.toSet());
        long committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(entry -> topics.contains(entry.getKey().topic()) && entry.getValue() != null).mapToLong(entry -> entry.getValue().offset())
                .sum();
        return topicEvents(admin) - committed;
    }

    /**
     * The verifier's reports within {@code wait}: one pass at once; if it finds drift, the job's backlog
     * read first and then passes again until clean or the time is up. A fault can leave the job minutes
     * behind (a whole snapshot to read again), and a full pass every half minute meanwhile takes CPU the
     * job needs to catch up and only reports the lag.
     */
    public List<Verifier.IndexReport> verifyOnceCaughtUp(Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Verifier.IndexReport> reports = verify(Duration.ZERO);
        if (reports.stream().allMatch(Verifier.IndexReport::clean)) {
            return reports;
        }
        awaitJobCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return verify(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** The verifier's last reports, after checking again until clean or {@code wait} has passed. */
    public List<Verifier.IndexReport> verify(Duration wait) throws Exception {
        return new Verifier(spec, db, openSearchUrl, null, null, Set.of()).verifyUntilClean(5, wait);
    }

    /** {@code stack/job.sh <command>} from the repository root, its output passed through; fails when it fails. */
    public void job(Map<String, String> env, String command) throws Exception {
        run(env, "stack/job.sh", command);
    }

    /** A command from the repository root (a stack script, make), its output passed through; fails when it fails. */
    public void run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).inheritIO();
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
    }

    /**
     * Back to the default data set, so that every run measures the same rows (the change load
     * inserts and deletes): the job cancelled, the connector stopped (the reload would only go to
     * topics about to be recreated), the tables truncated and {@code make load-data} run.
     */
    void restoreDefaultData() throws Exception {
        job(Map.of(), "cancel");
        connect.stop(CdcCli.DEFAULT_CONNECTOR);
        awaitConnector("STOPPED");
        try (Statement statement = db.createStatement()) {
            statement.execute("TRUNCATE " + String.join(", ", spec.tables()) + " CASCADE");
        }
        run(Map.of(), "make", "--no-print-directory", "load-data");
    }

    /**
     * Makes the connector start over: stopped, its offsets forgotten, its replication slot dropped
     * and its table topics deleted and created empty (as the topic plan has them). It stays stopped until {@link #resumeConnector}.
     */
    public void resetConnector(Path topicPlan) throws Exception {
        ConnectorReset.forget(connect, CdcCli.DEFAULT_CONNECTOR, db, CdcCli.DEFAULT_SLOT);
        TopicPlan plan = TopicPlan.load(topicPlan);
        try (Admin admin = CdcCli.admin()) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> names = spec.indexes().stream().map(index -> spec.topic(index.table())).filter(existing::contains).toList();
            admin.deleteTopics(names).all().get();
            while (admin.listTopics().names().get().stream().anyMatch(names::contains)) {
                Thread.sleep(200);
            }
            // A deleted topic can linger in the broker's metadata for a moment: retry the creation.
            for (int attempt = 0; ; attempt++) {
                try {
                    new TopicProvisioner(admin).ensure(plan);
                    break;
                } catch (Exception e) {
                    if (attempt > 50) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    public void resumeConnector() throws Exception {
        connect.resume(CdcCli.DEFAULT_CONNECTOR);
        awaitConnector("RUNNING");
    }

    /** Waits until the connector and all its tasks are in {@code state} (RUNNING, STOPPED…). */
    public void awaitConnector(String state) throws Exception {
        ConnectorReset.awaitState(connect, CdcCli.DEFAULT_CONNECTOR, state, Duration.ofMinutes(1));
    }

    /** Events in the table topics of the spec (the sum of their end offsets). */
    long topicEvents() throws Exception {
        try (Admin admin = CdcCli.admin()) {
            return topicEvents(admin);
        }
    }

    /** The same through a caller's admin client: polling loops keep one instead of connecting anew each time. */
    long topicEvents(Admin admin) throws Exception {
        List<String> topics = spec.indexes().stream().map(index -> spec.topic(index.table())).toList();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        return admin.listOffsets(request).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }
}
