package io.datasync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.spec.SyncSpec;
import io.datasync.testing.TestStack;
import io.datasync.verify.Verifier;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** What the end-to-end tests check, as a user would: SQL in, the verifier and OpenSearch's answers out. */
final class PipelineChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Fails the wait early, with the job's own failure, when the job has died. */
    interface JobAlive {
        void check() throws Exception;
    }

    private PipelineChecks() {}

    /** Waits until the verifier finds no drift; fails with the first mismatches after {@code timeout}. */
    static List<Verifier.IndexReport> awaitNoDrift(TestStack stack, SyncSpec spec, Set<String> ignoredFields, Duration timeout, JobAlive alive)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection db = stack.connect()) {
            Verifier verifier = new Verifier(spec, db, stack.openSearchUrl(), null, null, ignoredFields);
            while (true) {
                alive.check();
                List<Verifier.IndexReport> reports = verifier.verify(5);
                if (reports.stream().allMatch(Verifier.IndexReport::clean)) {
                    return reports;
                }
                if (System.nanoTime() > deadline) {
                    assertThat(reports).as("drift after %s: %s", timeout, reports.stream().flatMap(r -> r.firstMismatches().stream()).toList())
                            .allMatch(Verifier.IndexReport::clean);
                }
                // Each pass reads every document: while the job is behind, wait for the cheap counts instead (the job's CPU).
                verifier.awaitCountsMatch(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(10).toNanos()));
            }
        }
    }

    static String scalar(TestStack stack, String sql) throws Exception {
        try (Connection db = stack.connect(); Statement statement = db.createStatement(); var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void execute(TestStack stack, String... sql) throws Exception {
        try (Connection db = stack.connect(); Statement statement = db.createStatement()) {
            for (String s : sql) {
                statement.execute(s);
            }
        }
    }

    /** A document's _source, read through its alias. */
    static JsonNode source(TestStack stack, String index, String id) throws Exception {
        return get(stack.openSearchUrl() + "/" + index + "/_doc/" + URLEncoder.encode(id, StandardCharsets.UTF_8)).path("_source");
    }

    /** The sum of every sample whose line starts with {@code prefix} (a metric name, or a name and the start of its labels) in Prometheus' text format. */
    static double metricSum(String text, String prefix) {
        // A bare name must not match a longer one (documentsWritten is not documentsWrittenTotal).
        boolean bareName = !prefix.contains("{");
        return text.lines().filter(line -> line.startsWith(prefix)
                        && (!bareName || line.length() > prefix.length() && (line.charAt(prefix.length()) == '{' || line.charAt(prefix.length()) == ' ')))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Reads until the reading passes (every 500 ms), and returns it; fails with the last reading after the timeout. */
    static <T> T await(Duration timeout, java.util.concurrent.Callable<T> read, java.util.function.Predicate<T> passes) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T reading = read.call();
        while (!passes.test(reading)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + reading + " after " + timeout);
            }
            Thread.sleep(500);
            reading = read.call();
        }
        return reading;
    }

    static long count(TestStack stack, String index) throws Exception {
        return get(stack.openSearchUrl() + "/" + index + "/_count").path("count").asLong();
    }

    /** A search of the index (its alias) with this query body. */
    static JsonNode search(TestStack stack, String index, String body) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(stack.openSearchUrl() + "/" + index + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    static JsonNode get(String url) throws Exception {
        return JSON.readTree(text(url));
    }

    static String text(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
