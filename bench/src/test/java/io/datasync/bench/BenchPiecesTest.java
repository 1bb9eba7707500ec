package io.datasync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.bench.FinalDocuments.Document;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchPiecesTest {
    @Test
    void theVerifiersValuesBecomeWhatTheJobWrites() {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("published", LocalDate.parse("2024-05-01"));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("published_at", Instant.parse("2024-05-01T10:00:00Z"));
        document.put("likes", 3L);
        document.put("price", new BigDecimal("12.50"));
        document.put("video", video);
        document.put("top_comments", java.util.List.of(Map.of("published_at", Instant.parse("2024-05-02T00:00:00Z"))));

        assertThat(FinalDocuments.jsonReady(document)).containsEntry("published_at", "2024-05-01T10:00:00Z").containsEntry("likes", 3L)
                .containsEntry("price", new BigDecimal("12.50")).containsEntry("video", Map.of("published", "2024-05-01"))
                .containsEntry("top_comments", java.util.List.of(Map.of("published_at", "2024-05-02T00:00:00Z")));
    }

    @Test
    void aBulkBodyIsOneActionAndOneSourceLinePerDocumentWithIdsEscaped() {
        byte[] body = BulkLoader.ndjson("ceiling-comments_index", List.of(
                new Document("c1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new Document("c\"2", "{\"a\":2}".getBytes(StandardCharsets.UTF_8))));

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
                "{\"index\":{\"_index\":\"ceiling-comments_index\",\"_id\":\"c1\"}}\n{\"a\":1}\n"
                        + "{\"index\":{\"_index\":\"ceiling-comments_index\",\"_id\":\"c\\\"2\"}}\n{\"a\":2}\n");
    }

    @Test
    void theReportListsTheSweepAndTheCeiling() {
        Ceiling.Result result = new Ceiling.Result(
                List.of(new Ceiling.Run(1000, 1, 10_000, 1.0), new Ceiling.Run(5000, 2, 10_000, 0.5)),
                new Ceiling.Run(5000, 2, 100_000, 4.0), Map.of("comments_index", 100_000L));

        String report = CeilingReport.markdown(result, Map.of("cores", 2));
        assertThat(report).contains("| 1000 | 1 | 10,000 | 1.0 | 10,000 |").contains("| 5000 | 2 | 100,000 | 4.0 | 25,000 |");
    }

    @Test
    void theJobReportGivesTheRatioToTheCeilingAndFailsARunWithDrift() {
        JobThroughput.Result clean = new JobThroughput.Result(100_000, 10.0, 2.5, Map.of("comments_index", 100_000L), true);
        JobThroughput.Result drifted = new JobThroughput.Result(100_000, 10.0, 2.5, Map.of("comments_index", 100_000L), false);

        assertThat(CeilingReport.jobMarkdown(clean, 40_000.0, Map.of())).contains("| 100,000 | 10.0 | 2.5 s | 10,000 | 40,000 | 0.25 | no drift |");
        assertThat(CeilingReport.jobMarkdown(drifted, null, Map.of())).contains("not measured").contains("DRIFT: failed run");
    }

    @Test
    void theCeilingIsReadBackFromItsJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("ceiling.json"), "{\"result\":{\"full\":{\"documents\":1000,\"seconds\":0.5}}}");

        assertThat(CeilingReport.ceilingDocsPerSecond(dir.resolve("ceiling.json"))).isEqualTo(2000.0);
        assertThat(CeilingReport.ceilingDocsPerSecond(dir.resolve("none.json"))).isNull();
    }

    @Test
    void percentilesAreNearestRank() {
        Latency latency = Latency.of(java.util.stream.IntStream.rangeClosed(1, 200).mapToObj(i -> (double) i).toList());

        assertThat(latency).isEqualTo(new Latency(200, 100, 190, 198, 200));
        assertThat(Latency.of(List.of()).count()).isZero();
        assertThat(Latency.of(List.of(7.0)).p99()).isEqualTo(7.0);
    }

    @Test
    void aRateIsSustainedWhenReachedFullySeenAndWithoutABacklog() {
        assertThat(rate(2000, 1960, 0, 4900).sustained()).isTrue();
        assertThat(rate(2000, 1800, 0, 1200).sustained()).as("the load fell behind its schedule").isFalse();
        assertThat(rate(2000, 2000, 1, 1200).sustained()).as("a watched change never showed").isFalse();
        assertThat(rate(2000, 2000, 0, 63_000).sustained()).as("a backlog: the lag grew to a minute").isFalse();
    }

    @Test
    void aDocumentShowsAChangeByItsValueOrItsAbsence() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var likes = new io.datasync.postgres.changes.Change(io.datasync.postgres.changes.Change.Kind.LIKES, "comments", "c1", "likes", "42", "UPDATE");
        var delete = new io.datasync.postgres.changes.Change(io.datasync.postgres.changes.Change.Kind.DELETE, "comments", "c1", null, null, "DELETE");

        assertThat(DocumentProbe.shows(likes, true, json.readTree("{\"likes\":42}"))).isTrue();
        assertThat(DocumentProbe.shows(likes, true, json.readTree("{\"likes\":41}"))).isFalse();
        assertThat(DocumentProbe.shows(likes, false, json.missingNode())).isFalse();
        assertThat(DocumentProbe.shows(delete, false, null)).isTrue();
        assertThat(DocumentProbe.shows(delete, true, json.readTree("{}"))).isFalse();
    }

    @Test
    void aPendingDocumentIsCheckedEvery200MillisThenEvery5PercentOfItsAge() {
        long second = 1_000_000_000L;
        long committed = 7 * second;

        assertThat(DocumentProbe.nextCheck(committed, committed + second / 2)).isEqualTo(committed + second / 2 + second / 5);
        assertThat(DocumentProbe.nextCheck(committed, committed + 4 * second)).isEqualTo(committed + 4 * second + second / 5);
        assertThat(DocumentProbe.nextCheck(committed, committed + 60 * second)).isEqualTo(committed + 63 * second);
    }

    @Test
    void theProbeFetchesOnlyDueDocumentsThoseDueLongestFirstUpToItsCap() {
        List<Long> dueAt = List.of(50L, 10L, 200L, 30L, 20L, 100L);

        assertThat(DocumentProbe.oldestDue(dueAt, Long::longValue, 100, 3)).containsExactly(10L, 20L, 30L);
        assertThat(DocumentProbe.oldestDue(dueAt, Long::longValue, 100, 10)).containsExactly(10L, 20L, 30L, 50L, 100L);
        assertThat(DocumentProbe.oldestDue(dueAt, Long::longValue, 5, 10)).isEmpty();
    }

    @Test
    void thePlainConsumerIndexesTheAfterImageDeletesOnDeleteAndSkipsTombstones() throws Exception {
        var route = new PlainConsumer.Route("dbserver.public.comments", "baseline-comments", "comment_id");
        var body = new java.io.ByteArrayOutputStream();
        PlainConsumer.append(body, route, "{\"op\":\"u\",\"before\":null,\"after\":{\"comment_id\":\"c\\\"1\",\"likes\":3}}".getBytes(StandardCharsets.UTF_8));
        PlainConsumer.append(body, route, "{\"op\":\"d\",\"before\":{\"comment_id\":\"c2\"},\"after\":null}".getBytes(StandardCharsets.UTF_8));
        PlainConsumer.append(body, route, null);

        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo(
                "{\"index\":{\"_index\":\"baseline-comments\",\"_id\":\"c\\\"1\"}}\n{\"comment_id\":\"c\\\"1\",\"likes\":3}\n"
                        + "{\"delete\":{\"_index\":\"baseline-comments\",\"_id\":\"c2\"}}\n");
    }

    @Test
    void refreshIntervalsAreReadInMilliseconds() {
        assertThat(Pipeline.parseMillis("1s")).isEqualTo(1000);
        assertThat(Pipeline.parseMillis("500ms")).isEqualTo(500);
        assertThat(Pipeline.parseMillis("2.5s")).isEqualTo(2500);
    }

    private static Freshness.RateResult rate(int rate, double reached, int unresolved, double p99) {
        Map<String, Latency> searchable = Map.of(Freshness.JOB_TARGET, new Latency(100, p99 / 2, p99, p99, p99));
        return new Freshness.RateResult(rate, reached, 1000, 3.0, 100, unresolved, 0, Map.of(), searchable, null, null);
    }

    @Test
    void theReindexStepsAreReadFromMakeReindexsLastLinesAndReported() {
        Map<String, Double> steps = ReindexBenchmark.steps(List.of("[5/6] moving the aliases in one request",
                "steps: start 11.2 s, snapshot 92.0 s, catch-up 420.3 s, verification 40.1 s, swap 97 ms, handover 63.0 s"));

        assertThat(steps).containsExactly(Map.entry("start", 11.2), Map.entry("snapshot", 92.0), Map.entry("catch-up", 420.3),
                Map.entry("verification", 40.1), Map.entry("swap", 0.097), Map.entry("handover", 63.0));

        ReindexBenchmark.Result result = new ReindexBenchmark.Result(300, 296.5, 190_000, Map.of("snapshot", 92.0), 97, 640.2,
                List.of(new SearchAvailability.Result("comments_index", 12_000, 0, 0, 180, List.of())), true, null);
        assertThat(ReindexReport.section(result)).contains("| **alias swap** (one `_aliases` request) | **0.097** |")
                .contains("| comments_index | 12,000 | 0 | 0 | 180 ms |").contains("no drift").doesNotContain("FAILED");
        assertThat(result.passed()).isTrue();

        // make reindex gave up: the report still has the search results, and says so first.
        ReindexBenchmark.Result failed = new ReindexBenchmark.Result(300, 296.5, 190_000, Map.of(), -1, 640.2,
                List.of(new SearchAvailability.Result("comments_index", 12_000, 0, 0, 180, List.of())), true,
                "make reindex failed (exit 2): no progress for PT10M");
        assertThat(ReindexReport.section(failed)).startsWith("**FAILED**: make reindex failed (exit 2): no progress for PT10M")
                .contains("| **alias swap** (one `_aliases` request) | not reached |")
                .contains("| comments_index | 12,000 | 0 | 0 | 180 ms |");
        assertThat(failed.passed()).isFalse();
        assertThat(ReindexBenchmark.why(List.of("[4/6] verifying", "error: the new indexes differ from PostgreSQL; cancelling the rebuild",
                "[18:16:24] rebuild d063a7bf abandoned", "make[1]: *** [Makefile:209: reindex] Error 1")))
                .isEqualTo("error: the new indexes differ from PostgreSQL; cancelling the rebuild");
        assertThat(ReindexBenchmark.why(List.of("[2/6] snapshot", "no progress for PT10M"))).isEqualTo("no progress for PT10M");
    }
}
