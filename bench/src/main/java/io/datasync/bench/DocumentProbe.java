package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasync.postgres.changes.Change;
import io.datasync.postgres.changes.ChangeLoad.Applied;
import io.datasync.postgres.changes.ChangeMix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Watches the documents of committed changes, outside in, as a user would: a change is
 * <em>written</em> when a real-time GET of its document shows it (OpenSearch has indexed it: the
 * bulk item is acknowledged) and <em>searchable</em> when a search finds it (after a refresh).
 * Several targets (index sets: the job's, the plain consumer's) can be watched for the same changes.
 *
 * <p>The probe must not take much from the system it measures, least of all under a backlog, when
 * thousands of documents are pending. A real-time GET costs OpenSearch about as much as indexing a
 * document (a document written since the last refresh is read back from the translog): fetching
 * every pending document every 20 ms made OpenSearch's get threads use half as much CPU as its
 * write threads at 1,000 changes/s. So each pending document is due on a schedule
 * ({@link #nextCheck}: every 200 ms, then every 5% of its age), and per target at most every
 * {@link #SEARCH_INTERVAL_NANOS} one search per index covers the documents due and those written
 * but not yet searchable, while at most every {@link #MGET_INTERVAL_NANOS} one real-time
 * {@code _mget} fetches at most {@link #MGET_MAX_DOCS} due documents, those due longest first.
 * Searchable is thus known to within 100 ms after a refresh when written was seen first, else to
 * within 200 ms or 5% of its value; written to within as much when its GET was not postponed by the
 * cap, and otherwise, when the search sees the document first, it is taken as that time (an upper
 * bound; marked in its {@link Observation} and reported).
 */
final class DocumentProbe implements Consumer<Applied>, AutoCloseable {
    static final long TICK_MILLIS = 20;
    static final long CHECK_NANOS = 200_000_000L;
    /** At most one real-time {@code _mget} per target this often… */
    static final long MGET_INTERVAL_NANOS = 200_000_000L;
    /** …of at most this many documents: at most 250 GETs per second per target, whatever the backlog. */
    static final int MGET_MAX_DOCS = 50;
    /** At most one round of searches (one per index) per target this often… */
    static final long SEARCH_INTERVAL_NANOS = 100_000_000L;
    /** …of at most this many ids per index, the oldest changes first. */
    static final int SEARCH_MAX_IDS = 1_000;
    private static final long GIVE_UP_NANOS = 120_000_000_000L;
    /** While draining, a change unseen this long is checked against PostgreSQL (again after as long), the oldest first… */
    private static final long UNDONE_CHECK_NANOS = 5_000_000_000L;
    /** …a few per round, so the probe's load on PostgreSQL stays small even with a backlog of thousands. */
    private static final int UNDONE_CHECKS_PER_ROUND = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a target keeps the document of each table's rows. */
    record Target(String name, Map<String, String> indexByTable) {}

    /**
     * One watched change in one target: milliseconds from its commit; {@code at} is its commit time. {@code writtenBySearch}:
     * the search saw the document before a real-time GET did, and its time is taken as written (an upper bound).
     */
    record Observation(String target, Change.Kind kind, long at, double writtenMillis, double searchableMillis, boolean writtenBySearch) {}

    private static final class Pending {
        final Applied applied;
        final long[] written;
        final long[] searchable;
        final boolean[] writtenBySearch;
        /** Per target, when the next real-time GET of the document is due, and its next search while not seen written. */
        final long[] writtenCheckDue;
        final long[] searchCheckDue;
        long nextUndoneCheck;
        boolean undone;

        Pending(Applied applied, int targets) {
            this.applied = applied;
            this.written = new long[targets];
            this.searchable = new long[targets];
            this.writtenBySearch = new boolean[targets];
            this.writtenCheckDue = new long[targets];
            this.searchCheckDue = new long[targets];
            this.nextUndoneCheck = applied.committedNanos() + UNDONE_CHECK_NANOS;
        }

        boolean seen() {
            for (long at : searchable) {
                if (at == 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private final OpenSearchRest openSearch;
    private final List<Target> targets;
    private final ChangeMix mix;
    private final Predicate<Change> stillCurrent;
    private final ConcurrentLinkedQueue<Applied> incoming = new ConcurrentLinkedQueue<>();
    private final List<Observation> observations = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int unresolved;
    private volatile int superseded;
    /** Accepted and not yet resolved or given up: counted on acceptance, so {@link #awaitIdle} cannot miss one in transit. */
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile Exception failure;
    /** Per target, when the last real-time {@code _mget} and the last round of searches were sent (probe thread only). */
    private final long[] lastMget;
    private final long[] lastSearch;
    private volatile boolean draining;

    /**
     * {@code stillCurrent} tells whether PostgreSQL still holds what a change wrote: a watched
     * comment can be deleted by a video delete that cascades, and its change then never shows.
     */
    DocumentProbe(OpenSearchRest openSearch, List<Target> targets, ChangeMix mix, Predicate<Change> stillCurrent) {
        this.openSearch = openSearch;
        this.targets = targets;
        this.mix = mix;
        this.stillCurrent = stillCurrent;
        this.lastMget = new long[targets.size()];
        Arrays.fill(lastMget, System.nanoTime() - MGET_INTERVAL_NANOS);
        this.lastSearch = new long[targets.size()];
        Arrays.fill(lastSearch, System.nanoTime() - SEARCH_INTERVAL_NANOS);
        this.thread = new Thread(this::loop, "document-probe");
        thread.setDaemon(true);
        thread.start();
    }

    List<Target> targets() {
        return targets;
    }

    List<String> targetNames() {
        return targets.stream().map(Target::name).toList();
    }

    @Override
    public void accept(Applied applied) {
        outstanding.incrementAndGet();
        incoming.add(applied);
    }

    /** Observations so far, and forgets them (one batch per measured phase). */
    synchronized List<Observation> drain() {
        List<Observation> taken = new ArrayList<>(observations);
        observations.clear();
        return taken;
    }

    /** Watched changes not seen within two minutes though PostgreSQL still holds them (reported, never silently dropped). */
    int unresolved() {
        return unresolved;
    }

    /** Watched changes not seen within two minutes because a later change (a cascade) undid them in PostgreSQL. */
    int superseded() {
        return superseded;
    }

    /**
     * Waits until every watched change is resolved: seen, undone by a cascade, or given up. While it waits, changes
     * unseen for seconds are checked against PostgreSQL, so that one undone by a cascade ends the wait (and the
     * metered window) when found, not two minutes later.
     */
    void awaitIdle() throws Exception {
        draining = true;
        try {
            while (outstanding.get() > 0) {
                if (failure != null) {
                    throw failure;
                }
                Thread.sleep(TICK_MILLIS);
            }
        } finally {
            draining = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }

    private void loop() {
        while (running) {
            try {
                for (Applied applied; (applied = incoming.poll()) != null; ) {
                    pending.add(new Pending(applied, targets.size()));
                }
                if (!pending.isEmpty()) {
                    tick();
                }
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failure = e;
                return;
            }
        }
    }

    private void tick() throws Exception {
        for (int t = 0; t < targets.size(); t++) {
            checkWritten(t);
            checkSearchable(t);
        }
        long now = System.nanoTime();
        if (draining) {
            checkUndone(now);
        }
        List<Observation> resolved = new ArrayList<>();
        int[] finished = {0};
        pending.removeIf(p -> {
            boolean done = p.seen();
            boolean givenUp = !done && (p.undone || now - p.applied.committedNanos() > GIVE_UP_NANOS);
            if (done) {
                for (int t = 0; t < targets.size(); t++) {
                    resolved.add(new Observation(targets.get(t).name(), p.applied.change().kind(), p.applied.committedNanos(),
                            millis(p.written[t] - p.applied.committedNanos()), millis(p.searchable[t] - p.applied.committedNanos()),
                            p.writtenBySearch[t]));
                }
            } else if (givenUp) {
                if (!p.undone && stillCurrent.test(p.applied.change())) {
                    unresolved++;
                } else {
                    superseded++;
                }
            }
            if (done || givenUp) {
                mix.release(p.applied.change());
                finished[0]++;
            }
            return done || givenUp;
        });
        synchronized (this) {
            observations.addAll(resolved);
        }
        outstanding.addAndGet(-finished[0]); // after the observations are in, for awaitIdle's caller
    }

    /** Marks the oldest unseen changes that PostgreSQL no longer holds (a video delete cascaded to their row) as undone. */
    private void checkUndone(long now) {
        pending.stream().filter(p -> !p.seen() && now >= p.nextUndoneCheck)
                .sorted(Comparator.comparingLong(p -> p.applied.committedNanos())).limit(UNDONE_CHECKS_PER_ROUND).forEach(p -> {
                    p.nextUndoneCheck = now + UNDONE_CHECK_NANOS;
                    p.undone = !stillCurrent.test(p.applied.change());
                });
    }

    /** When a document checked at {@code now} and not showing the change is checked again: 200 ms, or 5% of its age once older than 4 s. */
    static long nextCheck(long committedNanos, long now) {
        return now + Math.max(CHECK_NANOS, (now - committedNanos) / 20);
    }

    /** The candidates due at {@code now}, those due longest first, at most {@code max} of them. */
    static <T> List<T> oldestDue(List<T> candidates, ToLongFunction<T> dueAt, long now, int max) {
        return candidates.stream().filter(c -> dueAt.applyAsLong(c) <= now).sorted(Comparator.comparingLong(dueAt)).limit(max).toList();
    }

    /** One real-time {@code _mget} (if the cap allows one now) for the documents of target {@code t} not yet seen written whose check is due. */
    private void checkWritten(int t) throws Exception {
        long due = System.nanoTime();
        if (due - lastMget[t] < MGET_INTERVAL_NANOS) {
            return;
        }
        List<Pending> unwritten = pending.stream().filter(p -> p.written[t] == 0 && p.searchable[t] == 0).toList();
        List<Pending> waiting = oldestDue(unwritten, p -> p.writtenCheckDue[t], due, MGET_MAX_DOCS);
        if (waiting.isEmpty()) {
            return;
        }
        lastMget[t] = due;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode docs = body.putArray("docs");
        for (Pending p : waiting) {
            Change change = p.applied.change();
            docs.addObject().put("_index", targets.get(t).indexByTable().get(change.table())).put("_id", change.key());
        }
        JsonNode answer = openSearch.json("POST", "/_mget", body.toString()).path("docs");
        long now = System.nanoTime();
        for (int i = 0; i < waiting.size(); i++) {
            JsonNode doc = answer.path(i);
            Pending p = waiting.get(i);
            if (shows(p.applied.change(), doc.path("found").asBoolean(false), doc.path("_source"))) {
                p.written[t] = now;
            } else {
                p.writtenCheckDue[t] = nextCheck(p.applied.committedNanos(), now);
            }
        }
    }

    /**
     * One search per index (if the cap allows a round now) for the documents of target {@code t} not yet seen searchable
     * that were seen written or are due; one that shows before its GET did is taken as written then too.
     */
    private void checkSearchable(int t) throws Exception {
        long due = System.nanoTime();
        if (due - lastSearch[t] < SEARCH_INTERVAL_NANOS) {
            return;
        }
        Map<String, List<Pending>> byIndex = new LinkedHashMap<>();
        for (Pending p : pending) { // in commit order: the oldest first
            if (p.searchable[t] == 0 && (p.written[t] != 0 || p.searchCheckDue[t] <= due)) {
                List<Pending> ids = byIndex.computeIfAbsent(targets.get(t).indexByTable().get(p.applied.change().table()), i -> new ArrayList<>());
                if (ids.size() < SEARCH_MAX_IDS) {
                    ids.add(p);
                }
            }
        }
        if (byIndex.isEmpty()) {
            return;
        }
        lastSearch[t] = due;
        for (Map.Entry<String, List<Pending>> entry : byIndex.entrySet()) {
            ObjectNode body = JSON.createObjectNode().put("size", entry.getValue().size());
            ArrayNode ids = body.putObject("query").putObject("ids").putArray("values");
            entry.getValue().forEach(p -> ids.add(p.applied.change().key()));
            Map<String, JsonNode> hits = new HashMap<>();
            for (JsonNode hit : openSearch.json("POST", "/" + entry.getKey() + "/_search", body.toString()).path("hits").path("hits")) {
                hits.put(hit.path("_id").asText(), hit.path("_source"));
            }
            long now = System.nanoTime();
            for (Pending p : entry.getValue()) {
                JsonNode source = hits.get(p.applied.change().key());
                if (shows(p.applied.change(), source != null, source)) {
                    p.searchable[t] = now;
                    if (p.written[t] == 0) {
                        p.written[t] = now;
                        p.writtenBySearch[t] = true;
                    }
                } else if (p.written[t] == 0) {
                    p.searchCheckDue[t] = nextCheck(p.applied.committedNanos(), now);
                }
            }
        }
    }

    /** Does the document (found or not, with this source) reflect the change? */
    static boolean shows(Change change, boolean found, JsonNode source) {
        if (change.deletes()) {
            return !found;
        }
        return found && change.value().equals(source.path(change.column()).asText(null));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
