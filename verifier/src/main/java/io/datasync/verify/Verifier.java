package io.datasync.verify;

import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Compares every index of the spec with what PostgreSQL says it should hold. */
public final class Verifier {
    private static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;
    private final SyncSpec spec;
    private final Connection db;
    private final OpenSearchDocuments openSearch;
    private final Set<String> ignoredFields;
    private final Map<String, String> readFrom;
    private java.util.function.Consumer<String> progress = line -> {};

    /** {@code ignoredFields}: document fields not compared (dotted paths), e.g. the fields a transform plug-in adds. */
    public Verifier(SyncSpec spec, Connection db, String openSearchUrl, String username, String password, Set<String> ignoredFields) {
        this(spec, db, openSearchUrl, username, password, ignoredFields, Map.of());
    }

    /**
     * {@code readFrom}: for an index of the spec, the concrete index to read instead of its alias (a
     * rebuilt index before the aliases move to it).
     */
    public Verifier(SyncSpec spec, Connection db, String openSearchUrl, String username, String password, Set<String> ignoredFields,
            Map<String, String> readFrom) {
        this.spec = spec;
        this.db = db;
        this.openSearch = new OpenSearchDocuments(openSearchUrl, username, password);
        this.ignoredFields = Set.copyOf(ignoredFields);
        this.readFrom = Map.copyOf(readFrom);
    }

    /** Lines on the way through a long comparison (make verify at seed size reads ~900K rows and documents): every 10 s and per index. */
    public Verifier reportingProgress(java.util.function.Consumer<String> progress) {
        this.progress = progress;
        return this;
    }

    private String source(IndexSpec index) {
        return readFrom.getOrDefault(index.name(), index.name());
    }

    /**
     * The outcome for one index: counts and the first mismatches. {@code missing}: a row without
     * its document (lost); {@code extra}: a document without its row (deleted, and resurrected or
     * never removed); {@code duplicated}: surplus copies of a row's document; {@code different}: a
     * document whose fields are not what SQL says (stale).
     */
    public record IndexReport(String index, long expected, long found, long missing, long extra, long duplicated, long different,
            List<String> firstMismatches, Map<String, Mismatch> mismatched) {
        public boolean clean() {
            return missing == 0 && extra == 0 && duplicated == 0 && different == 0;
        }

        @Override
        public String toString() {
            return String.format("%-16s expected %,d  found %,d  missing %,d  extra %,d  duplicated %,d  different %,d%s", index, expected, found, missing,
                    extra, duplicated, different, clean() ? "  OK" : "  DRIFT");
        }
    }

    /** How a document differs from what SQL says. */
    public enum Mismatch { MISSING, EXTRA, DUPLICATED, DIFFERENT }

    /** Passes while the counts differ come at most this often: a count mismatch that lasts is drift to report. */
    private static final long FULL_PASS_EVERY_NANOS = Duration.ofSeconds(30).toNanos();
    private static final long SETTLE_PASS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    /**
     * {@link #verify} again until every index is clean or {@code wait} has passed (the pipeline
     * catching up); the last reports. A pass reads every document, so while the pipeline is still
     * behind (some index holds fewer or more documents than its table has rows, a cheap count) the
     * next pass waits for the counts to match, which also leaves the machine to the pipeline.
     */
    public List<IndexReport> verifyUntilClean(int maxMismatches, Duration wait) throws SQLException, IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<IndexReport> reports = verify(maxMismatches);
            if (reports.stream().allMatch(IndexReport::clean) || System.nanoTime() > deadline) {
                return reports;
            }
            awaitCountsMatch(Math.min(deadline, System.nanoTime() + FULL_PASS_EVERY_NANOS));
        }
    }

    /**
     * Verification while changes keep coming: a document the pipeline has not caught up with yet
     * differs in one pass and not in a later one. After a full pass, only the documents that
     * differed are checked again (their rows read anew, the documents fetched by id), every few
     * seconds, until none has differed in every check or {@code wait} has passed since the full
     * pass ended: at seed size a full pass takes minutes, and a row changed while it ran would
     * otherwise count as drift. Drift is what differed throughout. Returns the last check's reports
     * narrowed to it ({@code clean} when it settled).
     */
    public List<IndexReport> verifySettled(int maxMismatches, Duration wait) throws SQLException, IOException, InterruptedException {
        List<IndexReport> last = verify(maxMismatches);
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, Set<String>> persistent = new java.util.LinkedHashMap<>();
        last.forEach(report -> persistent.put(report.index(), new java.util.HashSet<>(report.mismatched().keySet())));
        while (persistent.values().stream().anyMatch(ids -> !ids.isEmpty()) && System.nanoTime() < deadline) {
            // Under a change load the counts are seldom equal at the instant they are read: a short wait, not the 30 s of a quiet pipeline.
            awaitCountsMatch(Math.min(deadline, System.nanoTime() + SETTLE_PASS_EVERY_NANOS));
            last = recheck(last, persistent, maxMismatches);
            last.forEach(again -> persistent.get(again.index()).retainAll(again.mismatched().keySet()));
        }
        return last.stream().map(report -> settled(report, persistent.get(report.index()))).toList();
    }

    /** Each index's {@code ids} compared again: their rows as SQL says now, their documents (every copy) as OpenSearch holds them now. */
    private List<IndexReport> recheck(List<IndexReport> previous, Map<String, Set<String>> ids, int maxMismatches)
            throws SQLException, IOException, InterruptedException {
        List<IndexReport> reports = new ArrayList<>();
        for (IndexSpec index : spec.indexes()) {
            Set<String> again = ids.get(source(index));
            if (again.isEmpty()) {
                reports.add(previous.stream().filter(report -> report.index().equals(source(index))).findFirst().orElseThrow());
                continue;
            }
            openSearch.refresh(source(index));
            Map<String, Map<String, Object>> expected = ExpectedDocuments.of(db, spec, index);
            Map<String, Map<String, Object>> expectedAgain = new java.util.HashMap<>();
            again.stream().filter(expected::containsKey).forEach(id -> expectedAgain.put(id, expected.get(id)));
            OpenSearchDocuments.Documents actual = openSearch.readIds(source(index), again);
            IndexReport narrowed = compare(source(index), expectedAgain, actual.byId(), actual.surplusCopies(), ignoredFields, maxMismatches);
            progress.accept(String.format("%s: %,d documents that differed checked again, %,d still differ", source(index), again.size(),
                    narrowed.mismatched().size()));
            reports.add(new IndexReport(narrowed.index(), expected.size(), openSearch.count(source(index)), narrowed.missing(), narrowed.extra(),
                    narrowed.duplicated(), narrowed.different(), narrowed.firstMismatches(), narrowed.mismatched()));
        }
        return reports;
    }

    /** {@code last} counting only the documents that differed in every pass (as they differed last). */
    static IndexReport settled(IndexReport last, Set<String> persistent) {
        Map<String, Mismatch> kept = new java.util.HashMap<>();
        persistent.forEach(id -> kept.put(id, last.mismatched().get(id)));
        java.util.function.ToLongFunction<Mismatch> count = kind -> kept.values().stream().filter(kind::equals).count();
        List<String> lines = last.firstMismatches().stream()
                .filter(line -> kept.keySet().stream().anyMatch(id -> line.startsWith(last.index() + "/" + id + ":"))).toList();
        return new IndexReport(last.index(), last.expected(), last.found(), count.applyAsLong(Mismatch.MISSING), count.applyAsLong(Mismatch.EXTRA),
                count.applyAsLong(Mismatch.DUPLICATED), count.applyAsLong(Mismatch.DIFFERENT), lines, Map.copyOf(kept));
    }

    /** Waits (at least a second) until every index holds as many documents as its table has rows, or until {@code untilNanos}. */
    public void awaitCountsMatch(long untilNanos) throws SQLException, IOException, InterruptedException {
        do {
            Thread.sleep(1_000);
        } while (!countsMatch() && System.nanoTime() < untilNanos);
    }

    /** Whether every index holds as many documents as its table has rows: necessary for a clean pass, not sufficient. */
    public boolean countsMatch() throws SQLException, IOException, InterruptedException {
        for (IndexSpec index : spec.indexes()) {
            if (ExpectedDocuments.count(db, spec, index) != openSearch.count(source(index))) {
                return false;
            }
        }
        return true;
    }

    public List<IndexReport> verify(int maxMismatches) throws SQLException, IOException, InterruptedException {
        List<IndexReport> reports = new ArrayList<>();
        for (IndexSpec index : spec.indexes()) {
            openSearch.refresh(source(index));
            long started = System.nanoTime();
            Map<String, Map<String, Object>> expected = ExpectedDocuments.of(db, spec, index);
            progress.accept(String.format("%s: %,d rows read from PostgreSQL in %.1f s; reading the documents", source(index), expected.size(),
                    (System.nanoTime() - started) / 1e9));
            long reading = System.nanoTime();
            long[] lastLine = {reading};
            OpenSearchDocuments.Documents actual = openSearch.readAll(source(index), read -> {
                long now = System.nanoTime();
                if (now - lastLine[0] >= PROGRESS_EVERY_NANOS) {
                    lastLine[0] = now;
                    double rate = read / ((now - reading) / 1e9);
                    progress.accept(String.format("%s: %,d of about %,d documents read (%,.0f/s, about %.0f s left)", source(index), read, expected.size(), rate,
                            Math.max(0, expected.size() - read) / Math.max(rate, 1)));
                }
            });
            reports.add(compare(source(index), expected, actual.byId(), actual.surplusCopies(), ignoredFields, maxMismatches));
            progress.accept(String.format("%s: compared in %.1f s", source(index), (System.nanoTime() - started) / 1e9));
        }
        return reports;
    }

    static IndexReport compare(String index, Map<String, Map<String, Object>> expected, Map<String, Map<String, Object>> actual,
            Map<String, Integer> surplusCopies, Set<String> ignoredFields, int maxMismatches) {
        long missing = 0;
        long extra = 0;
        long different = 0;
        List<String> mismatches = new ArrayList<>();
        Map<String, Mismatch> ids = new java.util.HashMap<>();
        for (String id : new TreeSet<>(expected.keySet())) {
            Map<String, Object> document = actual.get(id);
            if (document == null) {
                missing++;
                ids.put(id, Mismatch.MISSING);
                note(mismatches, maxMismatches, index + "/" + id + ": missing");
            } else {
                List<String> differences = FieldComparison.differences(expected.get(id), document, ignoredFields);
                if (!differences.isEmpty()) {
                    different++;
                    ids.put(id, Mismatch.DIFFERENT);
                    note(mismatches, maxMismatches, index + "/" + id + ": " + String.join("; ", differences));
                }
            }
        }
        for (String id : new TreeSet<>(actual.keySet())) {
            if (!expected.containsKey(id)) {
                extra++;
                ids.put(id, Mismatch.EXTRA);
                note(mismatches, maxMismatches, index + "/" + id + ": extra (no such row)");
            }
        }
        long duplicated = 0;
        for (var copies : new java.util.TreeMap<>(surplusCopies).entrySet()) {
            duplicated += copies.getValue();
            ids.put(copies.getKey(), Mismatch.DUPLICATED);
            note(mismatches, maxMismatches, index + "/" + copies.getKey() + ": " + (copies.getValue() + 1) + " copies");
        }
        long found = actual.size() + duplicated;
        return new IndexReport(index, expected.size(), found, missing, extra, duplicated, different, mismatches, Map.copyOf(ids));
    }

    private static void note(List<String> mismatches, int max, String line) {
        if (mismatches.size() < max) {
            mismatches.add(line);
        }
    }
}
