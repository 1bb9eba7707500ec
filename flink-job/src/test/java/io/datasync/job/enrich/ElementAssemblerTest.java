package io.datasync.job.enrich;

import static io.datasync.job.decode.SnapshotPhase.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.enrich.DocumentInput.Part;
import io.datasync.job.enrich.DocumentInput.RootRow;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.job.types.Row;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A comment as an element of its video's top comments (spec: sync/array-sync-spec.yaml), in Flink's operator test harness. */
class ElementAssemblerTest {
    static final String TOP = "videos_index#top_comments";
    static final DocumentKey ELEMENT = new DocumentKey(TOP, "c1");
    static final Trace TRACE = new Trace("comments", "c1", 100, 1_000);
    KeyedOneInputStreamOperatorTestHarness<DocumentKey, DocumentInput, ParentUpdate> harness;

    static Row comment(String video, long likes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("comment_id", "c1");
        row.put("comment_text", "First!");
        row.put("likes", likes);
        row.put("published_at", "2024-05-06T07:08:09Z");
        row.put("video_id", video);
        row.put("channel_id", "u1");
        return Row.of(row);
    }

    static Row channel(String name) {
        return Row.of(Map.of("channel_name", name));
    }

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ElementAssembler(SyncSpecParser.parse("classpath:sync/array-sync-spec.yaml"), false)),
                DocumentInput::document, new DocumentKey.Info().info());
        harness.setup(new ParentUpdate.Serializer());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    void input(DocumentInput input) throws Exception {
        harness.processElement(input, STREAMING);
    }

    /** Each update sent, as "parent child element". */
    List<String> sent() {
        List<String> lines = harness.extractOutputValues().stream().map(ChildChanged.class::cast)
                .map(change -> change.parent().relation() + "/" + change.parent().parent() + " " + change.child() + " " + change.contribution()).toList();
        harness.getOutput().clear();
        return lines;
    }

    static String element(long likes, String user) {
        return "{\"comment_id\":\"c1\",\"comment_text\":\"First!\",\"likes\":" + likes + ",\"published_at\":\"2024-05-06T07:08:09Z\",\"user\":" + user + "}";
    }

    @Test
    void theElementHoldsItsFieldsAndItsCommentersNameOnceKnown() throws Exception {
        input(new RootRow(ELEMENT, comment("v1", 3), TRACE));
        assertThat(sent()).containsExactly(TOP + "/v1 c1 " + element(3, "null"));

        input(new Part(ELEMENT, "user", "u1", channel("Ann"), TRACE));
        assertThat(sent()).containsExactly(TOP + "/v1 c1 " + element(3, "{\"channel_name\":\"Ann\"}"));

        input(new Part(ELEMENT, "user", "u1", channel("Ann B."), TRACE));
        assertThat(sent()).as("a rename of the commenter").containsExactly(TOP + "/v1 c1 " + element(3, "{\"channel_name\":\"Ann B.\"}"));
    }

    @Test
    void aMovedChildLeavesItsOldParentsArrayAndJoinsTheNewOne() throws Exception {
        input(new RootRow(ELEMENT, comment("v1", 3), TRACE));
        sent();

        input(new RootRow(ELEMENT, comment("v2", 3), TRACE));

        assertThat(sent()).containsExactly(TOP + "/v1 c1 null", TOP + "/v2 c1 " + element(3, "null"));
    }

    @Test
    void aDeletedChildLeavesItsArrayAndItsStateGoesWithItsLastPart() throws Exception {
        input(new RootRow(ELEMENT, comment("v1", 3), TRACE));
        input(new Part(ELEMENT, "user", "u1", channel("Ann"), TRACE));
        sent();

        input(new RootRow(ELEMENT, null, TRACE));
        assertThat(sent()).containsExactly(TOP + "/v1 c1 null");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        input(new Part(ELEMENT, "user", "u1", null, TRACE));
        assertThat(sent()).as("a part of a child not in any array changes no array").isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
