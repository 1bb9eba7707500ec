package io.datasync.job.enrich;

import static io.datasync.job.decode.SnapshotPhase.SNAPSHOT;
import static io.datasync.job.decode.SnapshotPhase.SNAPSHOT_READ;
import static io.datasync.job.decode.SnapshotPhase.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.enrich.DocumentInput.AggregateResults;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.TopElements.Order;
import io.datasync.job.types.Row;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A video's top comments (likes desc, then id; 3 kept) in Flink's operator test harness. */
class ArrayStateTest {
    static final String ARRAY = "videos_index#top_comments";
    static final ArrayState.Use TOP = new ArrayState.Use("videos_index", "top_comments", "comments", List.of("likes"), new Order(List.of(true)), 3);
    static final Trace TRACE = new Trace("comments", "c0", 100, 1_000);
    final ParentKey video = new ParentKey(ARRAY, "v1");
    KeyedOneInputStreamOperatorTestHarness<ParentKey, ParentUpdate, DocumentInput> harness;

    static Row comment(String id, long likes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("comment_id", id);
        row.put("likes", likes);
        return Row.of(row);
    }

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ArrayState(Map.of(ARRAY, TOP))), ParentUpdate::parent,
                new ParentKey.Info().info());
        harness.setup(new DocumentInput.Serializer());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    void change(String id, Long likes, long phase) throws Exception {
        harness.processElement(new ChildChanged(video, id, likes == null ? null : comment(id, likes), TRACE), phase);
    }

    /** The ids of each array sent, in order. */
    List<String> sent() {
        return harness.extractOutputValues().stream().map(AggregateResults.class::cast)
                .map(results -> results.results().toString().replaceAll("\\{\"comment_id\":\"(c\\d+)\",\"likes\":\\d+}", "$1")).toList();
    }

    @Test
    void likesReorderTheArrayAndOnlyAChangedArrayIsSent() throws Exception {
        change("c1", 5L, STREAMING);
        change("c2", 9L, STREAMING);
        change("c3", 1L, STREAMING);
        change("c4", 0L, STREAMING);
        change("c3", 10L, STREAMING);
        change("c4", 0L, STREAMING);

        assertThat(sent()).containsExactly("{\"top_comments\":[c1]}", "{\"top_comments\":[c2,c1]}", "{\"top_comments\":[c2,c1,c3]}",
                "{\"top_comments\":[c3,c2,c1]}");
        assertThat(harness.extractOutputValues()).allSatisfy(input -> assertThat(input.document()).isEqualTo(new DocumentKey("videos_index", "v1")));
    }

    @Test
    void anElementThatLeavesOrFallsIsReplacedByTheBestChildOutside() throws Exception {
        for (int i = 1; i <= 5; i++) {
            change("c" + i, (long) i * 10, STREAMING);
        }
        change("c5", null, STREAMING);
        change("c4", 1L, STREAMING);

        assertThat(sent()).endsWith("{\"top_comments\":[c4,c3,c2]}", "{\"top_comments\":[c3,c2,c1]}");
    }

    @Test
    void duringTheSnapshotTheArrayIsComputedOnceWhenItHasBeenRead() throws Exception {
        for (int i = 1; i <= 6; i++) {
            change("c" + i, (long) i, SNAPSHOT);
        }
        assertThat(sent()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(SNAPSHOT_READ);

        assertThat(sent()).containsExactly("{\"top_comments\":[c6,c5,c4]}");
    }

    @Test
    void aChildMovedToAnotherParentLeavesOneArrayAndJoinsTheOther() throws Exception {
        change("c1", 5L, STREAMING);
        change("c2", 3L, STREAMING);
        ParentKey other = new ParentKey(ARRAY, "v2");

        harness.processElement(new ChildChanged(video, "c1", null, TRACE), STREAMING);
        harness.processElement(new ChildChanged(other, "c1", comment("c1", 5), TRACE), STREAMING);

        assertThat(sent()).endsWith("{\"top_comments\":[c2]}", "{\"top_comments\":[c1]}");
        assertThat(harness.extractOutputValues().get(3).document()).isEqualTo(new DocumentKey("videos_index", "v2"));
    }

    @Test
    void theLastChildLeavingSendsAnEmptyArrayAndLeavesNoState() throws Exception {
        change("c1", 5L, STREAMING);
        change("c1", null, STREAMING);

        assertThat(sent()).containsExactly("{\"top_comments\":[c1]}", "{\"top_comments\":[]}");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aChildThatStaysOutsideSendsNothingAndIsFoundWithItsLatestValueWhenAPlaceOpens() throws Exception {
        change("c1", 5L, STREAMING);
        change("c2", 9L, STREAMING);
        change("c3", 10L, STREAMING);
        change("c4", 0L, STREAMING);
        change("c4", 2L, STREAMING);
        change("c5", 1L, STREAMING);
        assertThat(sent()).hasSize(3);

        change("c3", null, STREAMING);

        assertThat(sent()).last().isEqualTo("{\"top_comments\":[c2,c1,c4]}");
        assertThat(((AggregateResults) harness.extractOutputValues().get(3)).results().toString()).contains("{\"comment_id\":\"c4\",\"likes\":2}");
    }

    @Test
    void anUnchangedElementSendsNothing() throws Exception {
        change("c1", 5L, STREAMING);
        change("c1", 5L, STREAMING);
        change("c9", null, STREAMING);

        assertThat(sent()).containsExactly("{\"top_comments\":[c1]}");
    }

    @Test
    void aStreamedChangeBeforeTheSnapshotHasBeenReadComputesTheArrayFromAllChildren() throws Exception {
        for (int i = 1; i <= 5; i++) {
            change("c" + i, (long) i, SNAPSHOT);
        }
        change("c1", 0L, STREAMING);

        assertThat(sent()).containsExactly("{\"top_comments\":[c5,c4,c3]}");
        harness.processWatermark(SNAPSHOT_READ);
        assertThat(sent()).as("the snapshot's timer finds nothing held").hasSize(1);
    }

    /**
     * 3,000 random changes to 12 children (likes up and down, children leaving and coming back): after
     * each, the last array sent is the best 3 of the children as they are now, with their latest likes —
     * so the reserve kept behind the array is a true prefix of the children and is rewritten when one of
     * its children changes.
     */
    @Test
    void changeByChangeTheArraySentIsTheBestOfTheChildrenAsTheyAre() throws Exception {
        Random random = new Random(7);
        Map<String, Long> likes = new HashMap<>();
        for (int step = 0; step < 3_000; step++) {
            String id = "c" + random.nextInt(12);
            Long value = random.nextInt(5) == 0 ? null : (long) random.nextInt(20);
            change(id, value, STREAMING);
            if (value == null) {
                likes.remove(id);
            } else {
                likes.put(id, value);
            }
            String expected = likes.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(3).map(entry -> "{\"comment_id\":\"" + entry.getKey() + "\",\"likes\":" + entry.getValue() + "}")
                    .collect(Collectors.joining(",", "{\"top_comments\":[", "]}"));
            List<DocumentInput> output = harness.extractOutputValues();
            String last = output.isEmpty() ? "{\"top_comments\":[]}" : ((AggregateResults) output.get(output.size() - 1)).results().toString();
            assertThat(last).as("step %d", step).isEqualTo(expected);
        }
    }
}
