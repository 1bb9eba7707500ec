package io.datasync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldComparisonTest {
    private static Map<String, Object> doc(Object... pairs) {
        Map<String, Object> doc = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            doc.put((String) pairs[i], pairs[i + 1]);
        }
        return doc;
    }

    @Test
    void numbersCompareByValueAndTimestampsAsInstants() {
        Map<String, Object> expected = doc("likes", 3L, "price", new BigDecimal("12.50"),
                "published_at", Instant.parse("2024-05-01T10:00:00Z"));
        Map<String, Object> actual = doc("likes", 3, "price", 12.5, "published_at", "2024-05-01T10:00:00.000Z");

        assertThat(FieldComparison.differences(expected, actual, Set.of())).isEmpty();
    }

    @Test
    void aDifferentValueAnExtraFieldAndANestedDifferenceAreReported() {
        Map<String, Object> expected = doc("likes", 3L, "video", doc("title", "New"));
        Map<String, Object> actual = doc("likes", 4, "video", doc("title", "Old"), "stray", "x");

        assertThat(FieldComparison.differences(expected, actual, Set.of())).containsExactlyInAnyOrder(
                "likes: expected 3, found 4", "video.title: expected \"New\", found \"Old\"", "stray: expected null, found \"x\"");
    }

    @Test
    void aMissingFieldIsNull() {
        assertThat(FieldComparison.differences(doc("pinned", null), doc(), Set.of())).isEmpty();
        assertThat(FieldComparison.differences(doc("pinned", true), doc(), Set.of())).containsExactly("pinned: expected true, found null");
    }

    @Test
    void ignoredFieldsAreLeftOutAtTheTopAndNested() {
        Map<String, Object> expected = doc("comment_id", "c1", "video", doc("title", "T"));
        Map<String, Object> actual = doc("comment_id", "c1", "word_count", 7, "video", doc("title", "T", "extra", 1));

        assertThat(FieldComparison.differences(expected, actual, Set.of("word_count", "video.extra"))).isEmpty();
        assertThat(FieldComparison.differences(expected, actual, Set.of("word_count"))).containsExactly("video.extra: expected null, found 1");
    }

    @Test
    void arraysCompareElementByElementAndAnotherOrderIsSaidOnce() {
        Map<String, Object> first = doc("comment_id", "c2", "likes", 9L, "published_at", Instant.parse("2024-05-01T10:00:00Z"));
        Map<String, Object> second = doc("comment_id", "c1", "likes", 3L, "published_at", Instant.parse("2024-05-02T10:00:00Z"));
        Map<String, Object> expected = doc("top_comments", java.util.List.of(first, second));
        Map<String, Object> firstFound = doc("comment_id", "c2", "likes", 9, "published_at", "2024-05-01T10:00:00Z");
        Map<String, Object> secondFound = doc("comment_id", "c1", "likes", 3, "published_at", "2024-05-02T10:00:00.000Z");

        assertThat(FieldComparison.differences(expected, doc("top_comments", java.util.List.of(firstFound, secondFound)), Set.of())).isEmpty();
        assertThat(FieldComparison.differences(expected, doc("top_comments", java.util.List.of(secondFound, firstFound)), Set.of()))
                .containsExactly("top_comments: the expected elements in another order");
        Map<String, Object> stale = doc("comment_id", "c1", "likes", 2, "published_at", "2024-05-02T10:00:00Z");
        assertThat(FieldComparison.differences(expected, doc("top_comments", java.util.List.of(firstFound, stale)), Set.of()))
                .containsExactly("top_comments[1].likes: expected 3, found 2");
        assertThat(FieldComparison.differences(expected, doc("top_comments", java.util.List.of(firstFound)), Set.of()))
                .hasSize(2).first().isEqualTo("top_comments: expected 2 elements, found 1");
        assertThat(FieldComparison.differences(doc("top_comments", java.util.List.of()), doc("top_comments", java.util.List.of()), Set.of())).isEmpty();
    }
}
