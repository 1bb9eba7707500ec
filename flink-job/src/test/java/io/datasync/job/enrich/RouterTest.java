package io.datasync.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.enrich.DocumentInput.RootRow;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.ParentUpdate.ParentChanged;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.job.types.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Router ROUTER = new Router(SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC));
    private static final String BY_VIDEO = "comments.video_id->videos.video_id";
    private static final String BY_USER = "comments.channel_id->users.channel_id";
    /** The default spec's array of a video's top comments: each comment is also the root row of its element there. */
    private static final String TOP_COMMENTS = "videos_index#top_comments";

    private static final String COMMENT = "c-1";
    private static final String VIDEO = "v-1";
    private static final String OTHER_VIDEO = "v-2";
    private static final String USER = "u-1";
    private static final String PUBLISHED = "2024-05-06T07:08:09Z";
    private static final long LSN = 500L;
    private static final long COMMIT = 1_700_000_000_000L;

    private static final Map<String, Object> COMMENT_ROW = comment(VIDEO, 3L);
    private static final Map<String, Object> VIDEO_ROW = video("A test video", "2026-01-01T00:00:00Z");

    private static Map<String, Object> comment(String videoId, long likes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("comment_id", COMMENT);
        row.put("video_id", videoId);
        row.put("channel_id", USER);
        row.put("comment_text", "First!");
        row.put("likes", likes);
        row.put("published_at", PUBLISHED);
        return row;
    }

    private static Map<String, Object> video(String title, String updatedAt) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("video_id", VIDEO);
        row.put("title", title);
        row.put("category", "Education");
        row.put("created_at", "2026-01-01T00:00:00Z");
        row.put("updated_at", updatedAt);
        return row;
    }

    /** A comment as its top_comments element's root row: the element's fields, the video and the commenter. */
    static String element(Map<String, Object> comment) {
        return Row.of(comment).project(List.of("comment_id", "comment_text", "likes", "published_at", "video_id", "channel_id")).toString();
    }

    private static Row row(Map<String, Object> values) {
        return values == null ? null : Row.of(values);
    }

    /** What the router sends, one line per message: documents first, then parent updates. */
    private static List<String> route(Router router, String table, String key, Map<String, Object> before, Map<String, Object> after) {
        List<String> documents = new ArrayList<>();
        List<String> parents = new ArrayList<>();
        router.route(new RowDelta(table, key, row(before), row(after), LSN, COMMIT), input -> documents.add(describe(input)),
                update -> parents.add(describe(update)));
        documents.addAll(parents);
        return documents;
    }

    private static List<String> route(String table, String key, Map<String, Object> before, Map<String, Object> after) {
        return route(ROUTER, table, key, before, after);
    }

    private static String describe(Object message) {
        if (message instanceof RootRow root) {
            return "root " + root.document().index() + "/" + root.document().id() + " " + root.row();
        }
        if (message instanceof ChildChanged child) {
            return "child " + child.parent().relation() + "/" + child.parent().parent() + " " + child.child() + " " + child.contribution();
        }
        ParentChanged parent = (ParentChanged) message;
        return "parent " + parent.parent().relation() + "/" + parent.parent().parent() + " " + parent.fields();
    }

    @Test
    void aCommentInsertFeedsItsDocumentAndJoinsItsVideoAndUserOnce() {
        assertThat(route("comments", COMMENT, null, COMMENT_ROW)).containsExactly(
                "root comments_index/c-1 " + row(COMMENT_ROW),
                "root " + TOP_COMMENTS + "/c-1 " + element(COMMENT_ROW),
                "child " + BY_VIDEO + "/v-1 c-1 {\"published_at\":\"" + PUBLISHED + "\"}",
                "child " + BY_USER + "/u-1 c-1 {}");
    }

    @Test
    void everyMessageCarriesTheTraceOfItsChange() {
        List<Trace> traces = new ArrayList<>();
        ROUTER.route(new RowDelta("comments", COMMENT, null, row(COMMENT_ROW), LSN, COMMIT), input -> traces.add(input.trace()),
                update -> traces.add(update.trace()));

        assertThat(traces).hasSize(4).allSatisfy(trace -> {
            assertThat(trace.correlationId()).isEqualTo("comments:c-1@500");
            assertThat(trace.commitMillis()).isEqualTo(COMMIT);
        });
    }

    @Test
    void aCommentMovedToAnotherVideoLeavesTheOldVideoForTheNewOneAndKeepsItsUser() {
        assertThat(route("comments", COMMENT, COMMENT_ROW, comment(OTHER_VIDEO, 3L))).containsExactly(
                "root comments_index/c-1 " + row(comment(OTHER_VIDEO, 3L)),
                "root " + TOP_COMMENTS + "/c-1 " + element(comment(OTHER_VIDEO, 3L)),
                "child " + BY_VIDEO + "/v-1 c-1 null",
                "child " + BY_VIDEO + "/v-2 c-1 {\"published_at\":\"" + PUBLISHED + "\"}");
    }

    @Test
    void aLikeRewritesTheDocumentAndTheElementOnly() {
        assertThat(route("comments", COMMENT, COMMENT_ROW, comment(VIDEO, 4L))).containsExactly("root comments_index/c-1 " + row(comment(VIDEO, 4L)),
                "root " + TOP_COMMENTS + "/c-1 " + element(comment(VIDEO, 4L)));
    }

    @Test
    void aChangedPublicationTimeIsANewContributionToTheVideoOnly() {
        Map<String, Object> republished = comment(VIDEO, 3L);
        republished.put("published_at", "2025-01-01T00:00:00Z");

        assertThat(route("comments", COMMENT, COMMENT_ROW, republished)).containsExactly(
                "root comments_index/c-1 " + row(republished),
                "root " + TOP_COMMENTS + "/c-1 " + element(republished),
                "child " + BY_VIDEO + "/v-1 c-1 {\"published_at\":\"2025-01-01T00:00:00Z\"}");
    }

    @Test
    void aVideoTitleChangeSendsOnlyTheLookedUpColumnsToItsChildren() {
        assertThat(route("videos", VIDEO, VIDEO_ROW, video("A renamed video", "2026-02-01T00:00:00Z"))).containsExactly(
                "root videos_index/v-1 " + row(video("A renamed video", "2026-02-01T00:00:00Z")),
                "parent " + BY_VIDEO + "/v-1 {\"video_id\":\"v-1\",\"title\":\"A renamed video\",\"category\":\"Education\"}");
    }

    @Test
    void aVideoUpdateOfAColumnNoLookupCopiesOnlyRewritesTheVideoDocument() {
        assertThat(route("videos", VIDEO, VIDEO_ROW, video("A test video", "2026-03-01T00:00:00Z")))
                .containsExactly("root videos_index/v-1 " + row(video("A test video", "2026-03-01T00:00:00Z")));
    }

    @Test
    void aNewVideoIsARootRowAndAParent() {
        assertThat(route("videos", VIDEO, null, VIDEO_ROW)).containsExactly(
                "root videos_index/v-1 " + row(VIDEO_ROW),
                "parent " + BY_VIDEO + "/v-1 {\"video_id\":\"v-1\",\"title\":\"A test video\",\"category\":\"Education\"}");
    }

    @Test
    void aDeletedVideoTellsItsChildrenItIsGone() {
        assertThat(route("videos", VIDEO, VIDEO_ROW, null)).containsExactly("root videos_index/v-1 null", "parent " + BY_VIDEO + "/v-1 null");
    }

    @Test
    void aCommentDeleteLeavesBothParents() {
        assertThat(route("comments", COMMENT, COMMENT_ROW, null)).containsExactly(
                "root comments_index/c-1 null",
                "root " + TOP_COMMENTS + "/c-1 null",
                "child " + BY_VIDEO + "/v-1 c-1 null",
                "child " + BY_USER + "/u-1 c-1 null");
    }

    @Test
    void aDeleteOfAnUnknownCommentOnlyDeletesItsDocumentAndElement() {
        assertThat(route("comments", COMMENT, null, null)).containsExactly("root comments_index/c-1 null", "root " + TOP_COMMENTS + "/c-1 null");
    }

    @Test
    void aCommentWithoutVideoJoinsOnlyItsUser() {
        assertThat(route("comments", COMMENT, null, comment(null, 3L))).containsExactly(
                "root comments_index/c-1 " + row(comment(null, 3L)),
                "root " + TOP_COMMENTS + "/c-1 " + element(comment(null, 3L)),
                "child " + BY_USER + "/u-1 c-1 {}");
    }

    @Test
    void aTableOutsideTheSpecRoutesNothing() {
        assertThat(route("playlists", "p-1", null, Map.of("playlist_id", "p-1"))).isEmpty();
    }

    @Test
    void aLookupByAColumnOtherThanThePrimaryKeyMeetsItsChildrenAtThatColumnsValue() {
        SyncSpec bySlug = new SyncSpec(new SyncSpec.Source("dbserver", "public"), List.of(new IndexSpec(
                "comments_index", 1, "mappings/comments_index.json", "comments", "comment_id", List.of(),
                List.of(new Lookup("video", "videos", "video_slug", "slug", List.of("slug", "title"))), List.of())));
        Router router = new Router(bySlug);
        Map<String, Object> video = new LinkedHashMap<>(VIDEO_ROW);
        video.put("slug", "my-video");
        Map<String, Object> comment = new LinkedHashMap<>(COMMENT_ROW);
        comment.put("video_slug", "my-video");

        assertThat(route(router, "comments", COMMENT, null, comment)).contains("child comments.video_slug->videos.slug/my-video c-1 {}");
        assertThat(route(router, "videos", VIDEO, null, video))
                .contains("parent comments.video_slug->videos.slug/my-video {\"slug\":\"my-video\",\"title\":\"A test video\"}");
    }

    /** Soft deletes and filters (spec 009), on {@code sync/shaped-sync-spec.yaml}. */
    @org.junit.jupiter.api.Nested
    class Shapes {
        static final Router SHAPED = new Router(SyncSpecParser.parse("classpath:sync/shaped-sync-spec.yaml"));
        /** The comments index's lookup, filtered like the index (likes > 0). */
        static final String LOOKUP = "comments.video_id->videos.video_id where (\"likes\" > 0)";
        static final String ALL = "comments.video_id->videos.video_id";
        static final String LIKED = "comments.video_id->videos.video_id where (\"likes\" >= 10)";

        static Map<String, Object> comment(long likes, String deletedAt) {
            Map<String, Object> row = RouterTest.comment(VIDEO, likes);
            row.put("deleted_at", deletedAt);
            return row;
        }

        List<String> route(Map<String, Object> before, Map<String, Object> after) {
            return RouterTest.route(SHAPED, "comments", COMMENT, before, after);
        }

        @Test
        void aRowThatStartsPassingTheFilterGainsItsDocumentAndOneThatStopsLosesIt() {
            assertThat(route(null, comment(0, null))).as("not a document, counted by the unfiltered aggregate only")
                    .containsExactly("child " + ALL + "/v-1 c-1 {}");
            assertThat(route(comment(0, null), comment(3, null))).containsExactly(
                    "root comments_index/c-1 " + row(comment(3, null)),
                    "child " + LOOKUP + "/v-1 c-1 {}");
            assertThat(route(comment(3, null), comment(12, null))).containsExactly(
                    "root comments_index/c-1 " + row(comment(12, null)),
                    "child " + LIKED + "/v-1 c-1 {}");
            assertThat(route(comment(12, null), comment(0, null))).containsExactly(
                    "root comments_index/c-1 null",
                    "child " + LOOKUP + "/v-1 c-1 null",
                    "child " + LIKED + "/v-1 c-1 null");
        }

        @Test
        void aSoftDeletedRowIsDeletedEverywhereAndComesBackWhenRestored() {
            assertThat(route(comment(12, null), comment(12, "2026-12-02T06:00:00Z"))).containsExactly(
                    "root comments_index/c-1 null",
                    "child " + LOOKUP + "/v-1 c-1 null",
                    "child " + ALL + "/v-1 c-1 null",
                    "child " + LIKED + "/v-1 c-1 null");
            assertThat(route(comment(12, "2026-12-02T06:00:00Z"), comment(13, "2026-12-02T06:00:00Z"))).as("changed while deleted").isEmpty();
            assertThat(route(null, comment(12, "2026-12-02T06:00:00Z"))).as("deleted when first seen").isEmpty();
            assertThat(route(comment(12, "2026-12-02T06:00:00Z"), comment(12, null))).containsExactly(
                    "root comments_index/c-1 " + row(comment(12, null)),
                    "child " + LOOKUP + "/v-1 c-1 {}",
                    "child " + ALL + "/v-1 c-1 {}",
                    "child " + LIKED + "/v-1 c-1 {}");
        }

        @Test
        void aDeleteOfARowNeverSeenStillReachesEveryUse() {
            assertThat(route(null, null)).containsExactly("root comments_index/c-1 null");
        }

        @Test
        void aRowAFilterCannotBeEvaluatedOnIsReportedAndTakenAsNotPassing() {
            Map<String, Object> odd = comment(0, null);
            odd.put("likes", "many");
            List<String> problems = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            SHAPED.route(new RowDelta("comments", COMMENT, null, row(odd), LSN, COMMIT), input -> sent.add(describe(input)),
                    update -> sent.add(describe(update)), problems::add);

            assertThat(sent).containsExactly("child " + ALL + "/v-1 c-1 {}");
            assertThat(problems).containsExactly(
                    "index comments_index: filter: cannot compare text 'many' with the number 0 (the row is taken as not passing)",
                    "relation " + LOOKUP + ": filter: cannot compare text 'many' with the number 0 (the row is taken as not passing)",
                    "relation " + LIKED + ": filter: cannot compare text 'many' with the number 10 (the row is taken as not passing)");
        }
    }

    @org.junit.jupiter.api.Nested
    class Arrays {
        static final Router WITH_ARRAYS = new Router(SyncSpecParser.parse("classpath:sync/array-sync-spec.yaml"));
        static final String TOP = "videos_index#top_comments";
        static final String LATEST = "users_index#latest_comments";
        /** The elements' lookup of the commenter: a relation of its own, holding only the comments that appear (likes > 0). */
        static final String ELEMENT_USER = "comments.channel_id->users.channel_id where (\"likes\" > 0)";

        List<String> route(Map<String, Object> before, Map<String, Object> after) {
            return RouterTest.route(WITH_ARRAYS, "comments", COMMENT, before, after);
        }

        static String latest(Map<String, Object> comment) {
            return Row.of(comment).project(List.of("comment_id", "published_at", "channel_id")).toString();
        }

        @Test
        void aChildRowIsTheRootRowOfItsElementWithOnlyTheColumnsTheElementIsMadeFrom() {
            assertThat(route(null, COMMENT_ROW)).containsExactly(
                    "root comments_index/c-1 " + row(COMMENT_ROW),
                    "root " + TOP + "/c-1 " + element(COMMENT_ROW),
                    "root " + LATEST + "/c-1 " + latest(COMMENT_ROW),
                    "child " + BY_USER + "/u-1 c-1 {}",
                    "child " + ELEMENT_USER + "/u-1 c-1 {}");
        }

        @Test
        void aChangeOfAColumnNoElementHoldsReachesNoArray() {
            Map<String, Object> after = new LinkedHashMap<>(COMMENT_ROW);
            after.put("sentiment_label", "positive");
            assertThat(route(COMMENT_ROW, after)).containsExactly("root comments_index/c-1 " + row(after));
        }

        @Test
        void aLikeChangesTheElementAndAMoveIsTheElementsNewForeignKey() {
            Map<String, Object> liked = comment(VIDEO, 4L);
            assertThat(route(COMMENT_ROW, liked)).containsExactly("root comments_index/c-1 " + row(liked), "root " + TOP + "/c-1 " + element(liked));
            Map<String, Object> moved = comment(OTHER_VIDEO, 4L);
            assertThat(route(liked, moved)).containsExactly("root comments_index/c-1 " + row(moved), "root " + TOP + "/c-1 " + element(moved));
        }

        @Test
        void aChildThatStopsPassingTheArraysFilterOrIsSoftDeletedLeavesItsArray() {
            Map<String, Object> unliked = comment(VIDEO, 0L);
            assertThat(route(COMMENT_ROW, unliked)).containsExactly(
                    "root comments_index/c-1 " + row(unliked),
                    "root " + TOP + "/c-1 null",
                    "child " + ELEMENT_USER + "/u-1 c-1 null");
            Map<String, Object> deleted = new LinkedHashMap<>(COMMENT_ROW);
            deleted.put("deleted_at", "2026-12-02T06:00:00Z");
            assertThat(route(COMMENT_ROW, deleted)).containsExactly(
                    "root comments_index/c-1 null",
                    "root " + TOP + "/c-1 null",
                    "root " + LATEST + "/c-1 null",
                    "child " + BY_USER + "/u-1 c-1 null",
                    "child " + ELEMENT_USER + "/u-1 c-1 null");
        }

        @Test
        void aDeleteOfARowNeverSeenReachesEveryArrayToo() {
            assertThat(route(null, null)).containsExactly("root comments_index/c-1 null", "root " + TOP + "/c-1 null", "root " + LATEST + "/c-1 null");
        }
    }
}
