package io.datasync.bench;

import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.verify.Verifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark 2 of issue 6: the job on the session cluster turning the topics (the snapshot
 * already in Kafka) into the three indexes. The running job is stopped, its indexes deleted, and
 * it is started without state ({@code FRESH=yes stack/job.sh start}); the clock runs from the
 * submission until every index holds as many documents as its table has rows. Then the verifier
 * must find no drift, or the run fails.
 */
final class JobThroughput {
    record Result(long documents, double seconds, double firstDocumentSeconds, Map<String, Long> rowsPerIndex, boolean noDrift) {
        double docsPerSecond() {
            return documents / seconds;
        }
    }

    private final SyncSpec spec;
    private final String openSearchUrl;
    private final OpenSearchRest openSearch;
    private final Path root;

    JobThroughput(SyncSpec spec, String openSearchUrl, Path root) {
        this.spec = spec;
        this.openSearchUrl = openSearchUrl;
        this.openSearch = new OpenSearchRest(openSearchUrl);
        this.root = root;
    }

    Result measure(Connection db, Duration timeout) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement statement = db.createStatement()) {
            for (IndexSpec index : spec.indexes()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + index.table())) {
                    rs.next();
                    rows.put(index.name(), rs.getLong(1));
                }
            }
        }
        long expected = rows.values().stream().mapToLong(Long::longValue).sum();
        run(Map.of(), "stack/job.sh", "stop");
        for (IndexSpec index : spec.indexes()) {
            openSearch.send("DELETE", "/" + index.concreteIndex(), null);
        }
        long start = System.nanoTime();
        run(Map.of("FRESH", "yes"), "stack/job.sh", "start");
        long deadline = start + timeout.toNanos();
        double first = -1;
        while (true) {
            long written = 0;
            boolean all = true;
            for (IndexSpec index : spec.indexes()) {
                long count = openSearch.count(index.name());
                written += count;
                all &= count == rows.get(index.name());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (first < 0 && written > 0) {
                first = elapsed;
            }
            if (all) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(String.format("after %s only %,d of %,d documents were written", timeout, written, expected));
            }
            Thread.sleep(500);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean clean = new Verifier(spec, db, openSearchUrl, null, null, Set.of()).verify(5).stream().allMatch(Verifier.IndexReport::clean);
        return new Result(expected, seconds, first, rows, clean);
    }

    /** Runs a stack script from the repository root, its output passed through; fails when it fails. */
    private void run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(root.toFile()).inheritIO();
        builder.environment().putAll(env);
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + exit);
        }
    }
}
