package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a search user sees while indexes are rebuilt and swapped: every {@code every} a query on
 * each alias, counting the answers that were errors or empty (a search that found nothing where
 * documents exist) and the slowest answer.
 */
public final class SearchAvailability implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per alias: queries sent, failed (an HTTP error or no answer), empty (no hit), and the slowest answer. */
    public record Result(String alias, long queries, long failed, long empty, long slowestMillis, List<String> firstProblems) {
        public boolean alwaysAnswered() {
            return queries > 0 && failed == 0 && empty == 0;
        }

        @Override
        public String toString() {
            return String.format("%s: %,d queries, %d failed, %d empty, slowest %d ms", alias, queries, failed, empty, slowestMillis);
        }
    }

    private final List<String> aliases;
    private final Duration every;
    private final OpenSearchRest openSearch;
    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> problems = new LinkedHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public SearchAvailability(String openSearchUrl, List<String> aliases, Duration every) {
        // A query not answered within 5 s counts as failed.
        this.openSearch = new OpenSearchRest(openSearchUrl, 5_000);
        this.aliases = List.copyOf(aliases);
        this.every = every;
        aliases.forEach(alias -> {
            counts.put(alias, new long[4]);
            problems.put(alias, new ArrayList<>());
        });
        thread = new Thread(this::probe, "search-availability");
        thread.setDaemon(true);
        thread.start();
    }

    private void probe() {
        while (running) {
            long started = System.nanoTime();
            for (String alias : aliases) {
                query(alias);
            }
            long sleep = every.toMillis() - (System.nanoTime() - started) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void query(String alias) {
        long started = System.nanoTime();
        boolean failed = false;
        boolean empty = false;
        String problem = null;
        try {
            OpenSearchRest.Answer response = openSearch.send("POST", "/" + alias + "/_search?size=1&filter_path=hits.total,hits.hits._id",
                    "{\"query\":{\"match_all\":{}}}");
            if (response.statusCode() != 200) {
                failed = true;
                problem = "HTTP " + response.statusCode() + ": " + response.body();
            } else {
                JsonNode hits = JSON.readTree(response.body()).path("hits");
                if (hits.path("total").path("value").asLong() == 0 || hits.path("hits").isEmpty()) {
                    empty = true;
                    problem = "no hit";
                }
            }
        } catch (Exception e) {
            failed = true;
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        synchronized (this) {
            long[] count = counts.get(alias);
            count[0]++;
            count[1] += failed ? 1 : 0;
            count[2] += empty ? 1 : 0;
            count[3] = Math.max(count[3], (System.nanoTime() - started) / 1_000_000);
            if (problem != null && problems.get(alias).size() < 5) {
                problems.get(alias).add(java.time.Instant.now() + " " + problem);
            }
        }
    }

    /** What was seen so far, per alias. */
    public synchronized List<Result> results() {
        List<Result> results = new ArrayList<>();
        counts.forEach((alias, count) -> results.add(new Result(alias, count[0], count[1], count[2], count[3], List.copyOf(problems.get(alias)))));
        return results;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        try {
            openSearch.close();
        } catch (java.io.IOException e) {
            // the probe is over; nothing to keep
        }
    }
}
