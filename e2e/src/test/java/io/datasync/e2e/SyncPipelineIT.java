package io.datasync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasync.testing.TestStack;
import io.datasync.verify.Verifier;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline on the shipped sample: PostgreSQL → Debezium → Kafka → the job (MiniCluster,
 * parallelism 2) → OpenSearch, judged by the verifier against SQL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncPipelineIT {
    static final TestStack STACK = TestStack.create("e2e");
    static JobOnMiniCluster job;

    @BeforeAll
    static void startPipeline() throws Exception {
        job = JobOnMiniCluster.onSample(STACK, "e2e");
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        JobOnMiniCluster.closeWithStack(job, STACK);
    }

    @Test
    @Order(1)
    void theSnapshotLandsInAllThreeIndexesExactly() throws Exception {
        List<Verifier.IndexReport> reports = awaitNoDrift(Duration.ofSeconds(180));

        assertThat(reports).extracting(Verifier.IndexReport::index).containsExactly("comments_index", "videos_index", "users_index");
        assertThat(reports).allSatisfy(report -> assertThat(report.expected()).isPositive());
    }

    @Test
    @Order(2)
    void insertsUpdatesRenamesMovesAndCascadedDeletesFollow() throws Exception {
        String busyVideo = scalar("SELECT video_id FROM comments GROUP BY video_id ORDER BY count(*) DESC, video_id LIMIT 1");
        String otherVideo = scalar("SELECT video_id FROM videos WHERE video_id <> '" + busyVideo + "' ORDER BY video_id LIMIT 1");
        String doomedVideo = scalar("SELECT video_id FROM videos WHERE video_id NOT IN ('" + busyVideo + "', '" + otherVideo
                + "') ORDER BY video_id LIMIT 1");
        String someUser = scalar("SELECT channel_id FROM comments WHERE video_id = '" + busyVideo + "' ORDER BY comment_id LIMIT 1");
        String movedComment = scalar("SELECT comment_id FROM comments WHERE video_id = '" + busyVideo + "' ORDER BY comment_id LIMIT 1 OFFSET 1");

        execute(
                // Fan-out: every comment of the busiest video must carry the new title.
                "UPDATE videos SET title = 'Renamed in the e2e test ✓' WHERE video_id = '" + busyVideo + "'",
                "UPDATE users SET channel_name = 'Renamed user' WHERE channel_id = '" + someUser + "'",
                // A comment arriving before its video and user: completed when they arrive (same transaction order is not guaranteed downstream).
                "INSERT INTO videos (video_id, title, category) VALUES ('e2e-video', 'Fresh video', 'Education')",
                "INSERT INTO users (channel_id, channel_name) VALUES ('e2e-user', 'Fresh user')",
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, likes, published_at) VALUES"
                        + " ('e2e-c1', 'e2e-video', 'e2e-user', 'first', 1, '2030-01-01 00:00:00'),"
                        + " ('e2e-c2', 'e2e-video', 'e2e-user', 'second', 2, '2030-01-02 00:00:00')",
                "UPDATE comments SET likes = likes + 10 WHERE video_id = '" + busyVideo + "'",
                // A move between videos: counts and last_comment_at of both follow.
                "UPDATE comments SET video_id = '" + otherVideo + "', published_at = '2031-01-01 00:00:00' WHERE comment_id = '" + movedComment + "'",
                "DELETE FROM comments WHERE comment_id = 'e2e-c2'",
                // Cascade: the video and all its comments go.
                "DELETE FROM videos WHERE video_id = '" + doomedVideo + "'");

        awaitNoDrift(Duration.ofSeconds(120));
    }

    @Test
    @Order(3)
    void topCommentsFollowLikesSoftDeletesAndTheFilterAndAnswerNestedQueriesAsSqlDoes() throws Exception {
        // The generated data soft-deletes ~2% of the comments.
        assertThat(Long.parseLong(scalar("SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL"))).isPositive();
        String video = scalar("SELECT video_id FROM comments WHERE deleted_at IS NULL GROUP BY video_id ORDER BY count(*) DESC, video_id LIMIT 1");
        String riser = scalar("SELECT comment_id FROM comments WHERE video_id = '" + video + "' AND deleted_at IS NULL ORDER BY likes, comment_id LIMIT 1");
        String best = scalar("SELECT comment_id FROM comments WHERE video_id = '" + video + "' AND deleted_at IS NULL AND comment_id <> '" + riser
                + "' ORDER BY likes DESC, comment_id LIMIT 1");
        // The video's least-liked comment rises to the top; its best one is soft-deleted: gone from both indexes and every count.
        execute("UPDATE comments SET likes = 1000000 WHERE comment_id = '" + riser + "'",
                "UPDATE comments SET deleted_at = now() WHERE comment_id = '" + best + "'");
        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(topCommentIds(video)).startsWith(riser).doesNotContain(best);
        assertThat(get("comments_index", best).path("found").asBoolean()).isFalse();

        execute("UPDATE comments SET deleted_at = NULL WHERE comment_id = '" + best + "'");
        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(topCommentIds(video)).startsWith(riser, best);
        assertThat(get("comments_index", best).path("found").asBoolean()).isTrue();

        // users_index's filter: a user renamed to a blank name loses the document (not the name in comments and arrays), and
        // gets it back whole (its comment count) with a name.
        String user = scalar("SELECT channel_id FROM comments WHERE comment_id = '" + riser + "'");
        String userName = scalar("SELECT channel_name FROM users WHERE channel_id = '" + user + "'");
        execute("UPDATE users SET channel_name = '' WHERE channel_id = '" + user + "'");
        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(get("users_index", user).path("found").asBoolean()).isFalse();
        assertThat(source("videos_index", video).path("top_comments").get(0).path("user").path("channel_name").asText("?")).isEmpty();
        execute("UPDATE users SET channel_name = '" + userName.replace("'", "''") + "' WHERE channel_id = '" + user + "'");
        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(source("users_index", user).path("comment_count").asLong()).isPositive();

        // A nested query: the videos whose top comments include one by the riser's commenter.
        String name = scalar("SELECT u.channel_name FROM comments c JOIN users u USING (channel_id) WHERE c.comment_id = '" + riser + "'");
        String expected = scalar("SELECT count(DISTINCT t.video_id) FROM (SELECT video_id, channel_id, row_number() OVER (PARTITION BY video_id"
                + " ORDER BY likes DESC, comment_id COLLATE \"C\") AS place FROM comments WHERE deleted_at IS NULL AND video_id IS NOT NULL) t"
                + " JOIN users u USING (channel_id) WHERE t.place <= 10 AND u.channel_name = '" + name.replace("'", "''") + "'");
        JsonNode found = PipelineChecks.search(STACK, "videos_index", "{\"size\":1000,\"query\":{\"nested\":{\"path\":\"top_comments\",\"query\":"
                + "{\"term\":{\"top_comments.user.channel_name.keyword\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(name) + "}}}}}");
        assertThat(found.path("hits").path("total").path("value").asLong()).as(found.toString()).isEqualTo(Long.parseLong(expected)).isPositive();
    }

    private static List<String> topCommentIds(String video) throws Exception {
        return source("videos_index", video).path("top_comments").findValuesAsText("comment_id");
    }

    private static JsonNode get(String index, String id) throws Exception {
        return PipelineChecks.get(STACK.openSearchUrl() + "/" + index + "/_doc/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    @Order(4)
    void aColumnAddedWhileStreamingFlowsIntoTheDocumentsOfChangedRows() throws Exception {
        execute("ALTER TABLE comments ADD COLUMN pinned boolean",
                "ALTER TABLE videos ADD COLUMN duration_seconds integer",
                "UPDATE comments SET pinned = true WHERE comment_id = 'e2e-c1'",
                "UPDATE videos SET duration_seconds = 754 WHERE video_id = 'e2e-video'",
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, likes, published_at, pinned) VALUES"
                        + " ('e2e-c3', 'e2e-video', 'e2e-user', 'after the new column', 0, '2030-01-03 00:00:00', false)");

        // Rows the ALTER did not touch have no value (NULL), which the verifier takes as equal to an absent field.
        awaitNoDrift(Duration.ofSeconds(60));
        assertThat(source("comments_index", "e2e-c1").path("pinned").asBoolean(false)).isTrue();
        assertThat(source("comments_index", "e2e-c3").path("pinned").isBoolean()).isTrue();
        assertThat(source("videos_index", "e2e-video").path("duration_seconds").asInt()).isEqualTo(754);
    }

    @Test
    @Order(5)
    void killedMidStreamAndRestoredTwiceFromTheSameCheckpointEndsExact() throws Exception {
        BackgroundLoad load = new BackgroundLoad(STACK, 42, Duration.ofSeconds(20));
        Thread writer = new Thread(load, "change-load");
        writer.start();

        String checkpoint = awaitNewCheckpoint(Duration.ofSeconds(60));
        Thread.sleep(3_000); // writes reach OpenSearch after the checkpoint, then the job dies
        job.restart(checkpoint);
        Thread.sleep(5_000);
        job.restart(checkpoint); // the same checkpoint again: its writes are older than both runs'
        writer.join();

        assertThat(load.applied()).isGreaterThan(200);
        awaitNoDrift(Duration.ofSeconds(180));
    }

    @Test
    @Order(6)
    void aTruncateEmptiesTheIndexOfItsTableAndZeroesTheCountsItFed() throws Exception {
        String reinserted = scalar("SELECT comment_id FROM comments ORDER BY comment_id LIMIT 1");
        String video = scalar("SELECT video_id FROM comments WHERE comment_id = '" + reinserted + "'");
        String user = scalar("SELECT channel_id FROM comments WHERE comment_id = '" + reinserted + "'");
        execute("TRUNCATE comments",
                // The same id again right after: a new row, not an update of the truncated one.
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, likes, published_at) VALUES"
                        + " ('" + reinserted + "', '" + video + "', '" + user + "', 'after the truncate', 0, '2032-01-01 00:00:00')");

        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(count("comments_index")).isEqualTo(1);
        assertThat(source("videos_index", video).path("comment_count").asLong()).isEqualTo(1);
    }

    @Test
    @Order(7)
    void verifyingUnderLoadReportsADocumentStaleThroughoutAndExcusesOneTheJobCatchesUpWith() throws Exception {
        String stale = scalar("SELECT channel_id FROM users WHERE channel_name <> '' ORDER BY channel_id LIMIT 1");
        String renamed = scalar("SELECT channel_id FROM users WHERE channel_name <> '' ORDER BY channel_id LIMIT 1 OFFSET 1");
        // A document no change will fix: written behind the job's back with a version above any it writes.
        com.fasterxml.jackson.databind.node.ObjectNode tampered = (com.fasterxml.jackson.databind.node.ObjectNode) source("users_index", stale);
        tampered.put("channel_name", "written behind the job's back");
        var put = java.net.http.HttpRequest.newBuilder(java.net.URI.create(STACK.openSearchUrl() + "/users_index/_doc/" + stale
                        + "?version=4000000000000000000&version_type=external&refresh=true"))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(tampered.toString())).build();
        assertThat(java.net.http.HttpClient.newHttpClient().send(put, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // A change still in flight when the verifier starts: its document differs at first, then catches up.
        execute("UPDATE users SET channel_name = 'renamed as the verifier starts' WHERE channel_id = '" + renamed + "'");

        List<Verifier.IndexReport> reports;
        try (java.sql.Connection db = STACK.connect()) {
            reports = new Verifier(job.spec, db, STACK.openSearchUrl(), null, null, Set.of()).verifySettled(10, Duration.ofSeconds(30));
        }

        Verifier.IndexReport users = reports.stream().filter(report -> report.index().equals("users_index")).findFirst().orElseThrow();
        assertThat(users.mismatched()).as(users.firstMismatches().toString()).containsOnlyKeys(stale);
        assertThat(users.firstMismatches()).singleElement().asString().startsWith("users_index/" + stale + ": channel_name")
                .contains("written behind the job's back");
        assertThat(reports).filteredOn(report -> !report.index().equals("users_index")).allMatch(Verifier.IndexReport::clean);
    }

    /** Waits for a checkpoint of this job completed from now on; returns its folder. */
    private static String awaitNewCheckpoint(Duration timeout) throws Exception {
        java.nio.file.Path jobDir = job.checkpoints.resolve(job.job().getJobID().toHexString());
        long deadline = System.nanoTime() + timeout.toNanos();
        String first = latestCheckpoint(jobDir);
        while (System.nanoTime() < deadline) {
            String latest = latestCheckpoint(jobDir);
            if (latest != null && !latest.equals(first)) {
                return latest;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no new checkpoint within " + timeout);
    }

    private static String latestCheckpoint(java.nio.file.Path jobDir) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(jobDir)) {
            return null;
        }
        try (var dirs = java.nio.file.Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-") && java.nio.file.Files.exists(d.resolve("_metadata")))
                    .max(java.util.Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .map(d -> d.toUri().toString()).orElse(null);
        }
    }

    private static List<Verifier.IndexReport> awaitNoDrift(Duration timeout) throws Exception {
        return PipelineChecks.awaitNoDrift(STACK, job.spec, Set.of(), timeout, job::failIfFailed);
    }

    private static String scalar(String sql) throws Exception {
        return PipelineChecks.scalar(STACK, sql);
    }

    private static void execute(String... sql) throws Exception {
        PipelineChecks.execute(STACK, sql);
    }

    private static JsonNode source(String index, String id) throws Exception {
        return PipelineChecks.source(STACK, index, id);
    }

    private static long count(String index) throws Exception {
        return PipelineChecks.count(STACK, index);
    }
}
