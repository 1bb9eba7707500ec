package io.datasync.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpecParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.types.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentBuilderTest {
    private static final SyncSpec SPEC = SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC);
    private static final IndexSpec COMMENTS_INDEX = SPEC.index("comments_index");
    private static final IndexSpec VIDEOS_INDEX = SPEC.index("videos_index");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT = new TypeReference<>() {};
    private static final String VIDEO = "v-1";
    private static final String USER = "u-1";

    private static final Map<String, Object> COMMENT_ROW = ordered(
            "comment_id", "c-1", "video_id", VIDEO, "channel_id", USER, "comment_text", "First!", "likes", 3L);
    private static final Map<String, Object> VIDEO_PART = ordered("video_id", VIDEO, "title", "A test video", "category", "Education");
    private static final Map<String, Object> USER_PART = ordered("channel_id", USER, "channel_name", "Tester");
    private static final Map<String, Object> VIDEO_ROW = ordered("video_id", VIDEO, "title", "A test video", "category", "Education");

    /** An ordered map that may hold nulls: key, value, key, value… */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Map<String, Object>> parts(Object... partKeysAndFields) {
        Map<String, Map<String, Object>> parts = new LinkedHashMap<>();
        for (int i = 0; i < partKeysAndFields.length; i += 2) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) partKeysAndFields[i + 1];
            parts.put((String) partKeysAndFields[i], fields);
        }
        return parts;
    }

    private static Map<String, Object> commentDocument(Map<String, Map<String, Object>> parts) {
        return build(COMMENTS_INDEX, COMMENT_ROW, parts, Map.of());
    }

    /** The document of a state holding this row, parts ("lookup|parent" → fields) and aggregate results by name, read back as a map. */
    private static Map<String, Object> build(IndexSpec index, Map<String, Object> row, Map<String, Map<String, Object>> parts,
            Map<String, Map<String, Object>> aggregates) {
        List<DocumentState.PartEntry> entries = new ArrayList<>();
        parts.forEach((key, fields) -> entries.add(new DocumentState.PartEntry(key.split("\\|")[0], key.split("\\|")[1], Row.of(fields))));
        Map<String, Row> results = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Map<String, Object>> aggregate : aggregates.entrySet()) {
                results.put(aggregate.getKey(), Row.ofJson(JSON.writeValueAsBytes(aggregate.getValue())));
            }
            return JSON.readValue(DocumentBuilder.build(index, new DocumentState(Row.of(row), entries, results, 0, 0, null)), DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aCommentDocumentHasItsRowThenBothParts() {
        Map<String, Object> document = commentDocument(parts("video|v-1", VIDEO_PART, "user|u-1", USER_PART));

        assertThat(document).containsExactly(
                Map.entry("comment_id", "c-1"),
                Map.entry("video_id", VIDEO),
                Map.entry("channel_id", USER),
                Map.entry("comment_text", "First!"),
                Map.entry("likes", 3L),
                Map.entry("video", VIDEO_PART),
                Map.entry("user", USER_PART));
    }

    @Test
    void aMissingPartIsNull() {
        Map<String, Object> document = commentDocument(parts("user|u-1", USER_PART));

        assertThat(document).containsEntry("video", null).containsEntry("user", USER_PART);
    }

    @Test
    void aLookupWinsOverARootColumnOfTheSameName() {
        Map<String, Object> row = new LinkedHashMap<>(COMMENT_ROW);
        row.put("video", "a column that happens to share the lookup's name");

        Map<String, Object> document = build(COMMENTS_INDEX, row, parts("video|v-1", VIDEO_PART), Map.of());

        assertThat(document).containsEntry("video", VIDEO_PART).hasSize(7);
    }

    @Test
    void thePartOfAnotherParentThanTheForeignKeyIsNotUsed() {
        Map<String, Object> previousVideo = ordered("video_id", "v-0", "title", "The old video", "category", "Music");

        Map<String, Object> document = commentDocument(parts("video|v-0", previousVideo, "user|u-1", USER_PART));

        assertThat(document).containsEntry("video", null);
    }

    @Test
    void ofSeveralPartsTheOneOfTheCurrentForeignKeyIsUsed() {
        Map<String, Object> previousVideo = ordered("video_id", "v-0", "title", "The old video", "category", "Music");

        Map<String, Object> document = commentDocument(parts("video|v-0", previousVideo, "video|v-1", VIDEO_PART));

        assertThat(document).containsEntry("video", VIDEO_PART);
    }

    @Test
    void aRowWithoutForeignKeyHasANullPart() {
        Map<String, Object> orphan = new LinkedHashMap<>(COMMENT_ROW);
        orphan.put("video_id", null);

        Map<String, Object> document = build(COMMENTS_INDEX, orphan, parts("video|v-1", VIDEO_PART), Map.of());

        assertThat(document).containsEntry("video", null);
    }

    @Test
    void aVideoDocumentHasItsAggregates() {
        Map<String, Object> results = ordered("comment_count", 2L, "last_comment_at", "2024-05-06T07:08:09Z");

        Map<String, Object> document = build(VIDEOS_INDEX, VIDEO_ROW, Map.of(), Map.of("comments_by_video_id", results));

        assertThat(document).containsExactly(
                Map.entry("video_id", VIDEO),
                Map.entry("title", "A test video"),
                Map.entry("category", "Education"),
                Map.entry("comment_count", 2L),
                Map.entry("last_comment_at", "2024-05-06T07:08:09Z"),
                Map.entry("top_comments", List.of()));
    }

    @Test
    void aVideoWithoutAggregatesHasNoCommentsAndNoLastComment() {
        Map<String, Object> document = build(VIDEOS_INDEX, VIDEO_ROW, Map.of(), Map.of());

        assertThat(document)
                .containsEntry("comment_count", 0L)
                .containsEntry("last_comment_at", null)
                .containsEntry("title", "A test video");
    }

    @Test
    void listedColumnsLimitTheDocument() {
        IndexSpec narrow = new IndexSpec("comments_index", 1, "mappings/comments_index.json", "comments", "comment_id",
                List.of("comment_id", "comment_text"), COMMENTS_INDEX.lookups(), List.of());

        Map<String, Object> document = build(narrow, COMMENT_ROW, parts("video|v-1", VIDEO_PART, "user|u-1", USER_PART), Map.of());

        assertThat(document).containsOnlyKeys("comment_id", "comment_text", "video", "user");
    }


    @Test
    void fieldShapingRenamesExcludesAndComputesFromTheRowsOwnColumns() {
        IndexSpec shaped = SyncSpecParser.parse("classpath:sync/shaped-sync-spec.yaml").index("comments_index");
        Map<String, Object> row = new LinkedHashMap<>(COMMENT_ROW);
        row.put("deleted_at", null);
        // A column named like a renamed field: the rename wins (one field per name).
        row.put("text", "an old column");

        Map<String, Object> document = build(shaped, row, parts("video|v-1", ordered("video_id", VIDEO, "title", "A test video")), Map.of());

        assertThat(document).containsExactly(
                Map.entry("comment_id", "c-1"),
                Map.entry("video_id", VIDEO),
                Map.entry("channel_id", USER),
                Map.entry("text", "First!"),
                Map.entry("likes", 3L),
                Map.entry("source", "youtube"),
                Map.entry("engagement", 12L),
                Map.entry("video", ordered("video_id", VIDEO, "title", "A test video")));
    }

    @Test
    void aComputedFieldThatCannotBeComputedIsNullAndReported() throws IOException {
        IndexSpec shaped = SyncSpecParser.parse("classpath:sync/shaped-sync-spec.yaml").index("comments_index");
        Map<String, Object> row = new LinkedHashMap<>(COMMENT_ROW);
        row.put("likes", "many");
        List<String> problems = new ArrayList<>();

        Map<String, Object> document = JSON.readValue(DocumentBuilder.build(shaped, new DocumentState(Row.of(row), List.of(), Map.of(), 0, 0, null),
                problems::add), DOCUMENT);

        assertThat(document).containsEntry("engagement", null).containsEntry("source", "youtube");
        assertThat(problems).containsExactly("index comments_index: computed field engagement: '*' needs numbers, not text 'many'");
    }

    @Test
    void anArrayIsEmptyUntilItsResultsArriveThenHoldsItsElementsInOrder() {
        IndexSpec videos = SyncSpecParser.parse("classpath:sync/array-sync-spec.yaml").index("videos_index");
        assertThat(build(videos, VIDEO_ROW, Map.of(), Map.of())).containsEntry("top_comments", List.of());

        Map<String, Object> best = ordered("comment_id", "c-2", "likes", 9L, "user", ordered("channel_name", "Ann"));
        Map<String, Object> next = ordered("comment_id", "c-1", "likes", 3L, "user", null);
        Map<String, Object> document = build(videos, VIDEO_ROW, Map.of(), Map.of("top_comments", Map.of("top_comments", List.of(best, next))));

        assertThat(document).containsExactly(Map.entry("video_id", VIDEO), Map.entry("title", "A test video"), Map.entry("category", "Education"),
                Map.entry("top_comments", List.of(best, next)));
    }
}
