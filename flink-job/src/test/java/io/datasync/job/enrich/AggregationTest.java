package io.datasync.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.AggregateField;
import io.datasync.job.spec.SyncSpec.AggregateFunction;
import io.datasync.job.types.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AggregationTest {
    /** Over the comments of one video: how many, total likes, first and last publication. */
    private static final Aggregate COMMENTS = new Aggregate(null, "comments", "video_id", Map.of(
            "comment_count", new AggregateField(AggregateFunction.COUNT, null),
            "total_likes", new AggregateField(AggregateFunction.SUM, "likes"),
            "first_comment_at", new AggregateField(AggregateFunction.MIN, "published_at"),
            "last_comment_at", new AggregateField(AggregateFunction.MAX, "published_at")));

    private static final String JAN = "2024-01-01T00:00:00Z";
    private static final String FEB = "2024-02-01T00:00:00Z";
    private static final String MAR = "2024-03-01T00:00:00Z";

    private static final Map<String, Object> IN_JAN = child(5L, JAN);
    private static final Map<String, Object> IN_FEB = child(2L, FEB);
    private static final Map<String, Object> IN_MAR = child(10L, MAR);

    private static Map<String, Object> child(Object likes, String publishedAt) {
        Map<String, Object> values = new HashMap<>();
        values.put("likes", likes);
        values.put("published_at", publishedAt);
        return values;
    }

    /** The results of adding these children in this order, starting empty. */
    private static Map<String, Object> addAll(Aggregate aggregate, List<Map<String, Object>> children) {
        Row results = Aggregation.empty(aggregate);
        for (Map<String, Object> child : children) {
            results = Aggregation.add(aggregate, results, Row.of(child));
        }
        return results.toMap();
    }

    /** Results and children travel as rows; the assertions read them back as maps. */
    private static Map<String, Object> remove(Aggregate aggregate, Map<String, Object> results, Map<String, Object> removed,
            List<Map<String, Object>> left) {
        List<Row> rows = left.stream().map(Row::of).toList();
        return Aggregation.remove(aggregate, Row.of(results), Row.of(removed), () -> rows).toMap();
    }

    /** Removes one child as the parent state does: the rescan sees the children left. */
    private static Map<String, Object> remove(Map<String, Object> results, Map<String, Object> removed, List<Map<String, Object>> left) {
        return remove(COMMENTS, results, removed, left);
    }

    private static Aggregate maxOf(String column) {
        return new Aggregate(null, "comments", "video_id", Map.of("last", new AggregateField(AggregateFunction.MAX, column)));
    }

    @Test
    void noChildGivesCountZeroSumZeroAndNoExtremes() {
        Map<String, Object> results = Aggregation.empty(COMMENTS).toMap();

        assertThat(results)
                .containsEntry("comment_count", 0L)
                .containsEntry("total_likes", 0L)
                .containsEntry("first_comment_at", null)
                .containsEntry("last_comment_at", null)
                .hasSize(4);
    }

    @Test
    void addingChildrenCountsSumsAndKeepsTheExtremes() {
        Map<String, Object> results = addAll(COMMENTS, List.of(IN_FEB, IN_MAR, IN_JAN));

        assertThat(results)
                .containsEntry("comment_count", 3L)
                .containsEntry("total_likes", 17L)
                .containsEntry("first_comment_at", JAN)
                .containsEntry("last_comment_at", MAR);
    }

    @Test
    void addingDoesNotChangeThePreviousResults() {
        Row before = Row.of(addAll(COMMENTS, List.of(IN_JAN)));

        Aggregation.add(COMMENTS, before, Row.of(IN_FEB));

        assertThat(before.toMap()).containsEntry("comment_count", 1L).containsEntry("last_comment_at", JAN);
    }

    @Test
    void removingAChildThatIsNoExtremeKeepsTheExtremesWithoutRescan() {
        Map<String, Object> results = addAll(COMMENTS, List.of(IN_JAN, IN_FEB, IN_MAR));
        AtomicInteger rescans = new AtomicInteger();

        Map<String, Object> next = Aggregation.remove(COMMENTS, Row.of(results), Row.of(IN_FEB), () -> {
            rescans.incrementAndGet();
            return List.of(Row.of(IN_JAN), Row.of(IN_MAR));
        }).toMap();

        assertThat(next)
                .containsEntry("comment_count", 2L)
                .containsEntry("total_likes", 15L)
                .containsEntry("first_comment_at", JAN)
                .containsEntry("last_comment_at", MAR);
        assertThat(rescans).hasValue(0);
    }

    @Test
    void removingTheCurrentMaxRescansTheRemainingChildren() {
        Map<String, Object> results = addAll(COMMENTS, List.of(IN_JAN, IN_FEB, IN_MAR));

        Map<String, Object> next = remove(results, IN_MAR, List.of(IN_JAN, IN_FEB));

        assertThat(next)
                .containsEntry("comment_count", 2L)
                .containsEntry("total_likes", 7L)
                .containsEntry("last_comment_at", FEB)
                .containsEntry("first_comment_at", JAN);
    }

    @Test
    void removingTheCurrentMinRescansTheRemainingChildren() {
        Map<String, Object> results = addAll(COMMENTS, List.of(IN_JAN, IN_FEB, IN_MAR));

        Map<String, Object> next = remove(results, IN_JAN, List.of(IN_FEB, IN_MAR));

        assertThat(next).containsEntry("first_comment_at", FEB).containsEntry("last_comment_at", MAR);
    }

    @Test
    void removingOneOfTwoEqualMaximaKeepsTheMax() {
        Map<String, Object> twin = child(1L, MAR);
        Map<String, Object> results = addAll(COMMENTS, List.of(IN_JAN, IN_MAR, twin));

        Map<String, Object> next = remove(results, IN_MAR, List.of(IN_JAN, twin));

        assertThat(next).containsEntry("last_comment_at", MAR).containsEntry("comment_count", 2L);
    }

    @Test
    void removingEveryChildGivesTheEmptyResults() {
        List<Map<String, Object>> left = new ArrayList<>(List.of(IN_JAN, IN_FEB));
        Map<String, Object> results = addAll(COMMENTS, left);

        left.remove(IN_FEB);
        results = remove(results, IN_FEB, List.copyOf(left));
        left.remove(IN_JAN);
        results = remove(results, IN_JAN, List.copyOf(left));

        assertThat(results).isEqualTo(Aggregation.empty(COMMENTS).toMap());
    }

    @Test
    void childrenWithoutTheColumnAreCountedButNotCompared() {
        Map<String, Object> unpublished = child(null, null);

        Map<String, Object> results = addAll(COMMENTS, List.of(unpublished, IN_FEB, unpublished));

        assertThat(results)
                .containsEntry("comment_count", 3L)
                .containsEntry("total_likes", 2L)
                .containsEntry("last_comment_at", FEB)
                .containsEntry("first_comment_at", FEB);
    }

    @Test
    void aMaxOverTimestampsComparesInstantsNotText() {
        String whole = "2022-02-09T06:36:26Z";
        String half = "2022-02-09T06:36:26.5Z";
        assertThat(whole.compareTo(half)).as("as text, the whole second sorts after").isPositive();

        Map<String, Object> wholeFirst = addAll(maxOf("published_at"), List.of(Map.of("published_at", whole), Map.of("published_at", half)));
        Map<String, Object> halfFirst = addAll(maxOf("published_at"), List.of(Map.of("published_at", half), Map.of("published_at", whole)));

        assertThat(wholeFirst).containsEntry("last", half);
        assertThat(halfFirst).containsEntry("last", half);
    }

    @Test
    void aMaxOverTimestampsWithMicrosecondsComparesInstants() {
        String micros = "2026-11-25T15:40:22.980107Z";
        String tenths = "2026-11-25T15:40:22.9Z";

        assertThat(addAll(maxOf("ts"), List.of(Map.of("ts", micros), Map.of("ts", tenths)))).containsEntry("last", micros);
    }

    @Test
    void aRescannedMaxOverTimestampsComparesInstants() {
        Aggregate max = maxOf("published_at");
        Map<String, Object> whole = Map.of("published_at", "2022-02-09T06:36:26Z");
        Map<String, Object> half = Map.of("published_at", "2022-02-09T06:36:26.5Z");
        Map<String, Object> latest = Map.of("published_at", "2022-02-09T06:36:27Z");
        Map<String, Object> results = addAll(max, List.of(whole, half, latest));

        Map<String, Object> next = remove(max, results, latest, List.of(whole, half));

        assertThat(next).containsEntry("last", "2022-02-09T06:36:26.5Z");
    }

    @Test
    void aMaxOverNumbersComparesValuesNotText() {
        Aggregate max = maxOf("likes");

        Map<String, Object> results = addAll(max, List.of(Map.of("likes", 9L), Map.of("likes", 10L), Map.of("likes", new BigDecimal("9.5"))));

        assertThat(results).containsEntry("last", 10L);
    }

    @Test
    void aSumOfDecimalsStaysExact() {
        Aggregate sum = new Aggregate(null, "videos", "channel_id", Map.of("total_rating", new AggregateField(AggregateFunction.SUM, "rating")));
        Map<String, Object> results = addAll(sum, List.of(Map.of("rating", new BigDecimal("3.50")), Map.of("rating", new BigDecimal("0.25"))));

        assertThat(results.get("total_rating")).isEqualTo(new BigDecimal("3.75"));

        Map<String, Object> back = remove(sum, results, Map.of("rating", new BigDecimal("0.25")), List.of());
        assertThat(back.get("total_rating")).isEqualTo(new BigDecimal("3.50"));
    }

    @Test
    void aSumBackToAWholeNumberIsALong() {
        Map<String, Object> results = addAll(COMMENTS, List.of(IN_JAN, IN_FEB));

        Map<String, Object> next = remove(results, IN_FEB, List.of(IN_JAN));

        assertThat(next.get("total_likes")).isEqualTo(5L);
    }

    @Test
    void resultsAreOrderedByFieldName() {
        assertThat(addAll(COMMENTS, List.of(IN_JAN)).keySet())
                .containsExactly("comment_count", "first_comment_at", "last_comment_at", "total_likes");
    }
}
