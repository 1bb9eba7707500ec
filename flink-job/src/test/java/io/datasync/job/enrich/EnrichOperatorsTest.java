package io.datasync.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static io.datasync.job.decode.SnapshotPhase.SNAPSHOT;
import static io.datasync.job.decode.SnapshotPhase.SNAPSHOT_READ;
import static io.datasync.job.decode.SnapshotPhase.STREAMING;

import io.datasync.job.enrich.EnrichMessage.Kind;
import io.datasync.job.enrich.EnrichMessage.Trace;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The keyed enrichment operators in Flink's operator test harness: output, timers, state entries. */
class EnrichOperatorsTest {
    static final SyncSpec SPEC = SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC);
    static final Trace TRACE = new Trace(100, 1_000, "test");
    static final long COALESCE = 200;

    static Map<String, Object> row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return row;
    }

    @Nested
    class Lookups {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichMessage, EnrichMessage> harness;
        final String video = EnrichMessage.lookupTarget("comments_index", "video", "v1");

        @BeforeEach
        void open() throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ParentStateFunction(SPEC)), EnrichMessage::target, Types.STRING);
            harness.open();
        }

        @AfterEach
        void close() throws Exception {
            harness.close();
        }

        @Test
        void aChildBeforeItsParentGetsAnEmptyPartThenTheFieldsWhenTheParentArrives() throws Exception {
            harness.processElement(EnrichMessage.reference(video, true, "video", "v1", "c1", TRACE), STREAMING);
            harness.processElement(EnrichMessage.parentRow(video, "video", "v1", row("video_id", "v1", "title", "T"), TRACE), STREAMING);

            List<EnrichMessage> out = harness.extractOutputValues();
            assertThat(out).extracting(EnrichMessage::kind, EnrichMessage::target, EnrichMessage::values).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(Kind.PART, "D|comments_index|c1", null),
                    org.assertj.core.groups.Tuple.tuple(Kind.PART, "D|comments_index|c1", row("video_id", "v1", "title", "T")));
        }

        @Test
        void aRenameFansOutToEveryReferencingChild() throws Exception {
            harness.processElement(EnrichMessage.parentRow(video, "video", "v1", row("title", "Old"), TRACE), STREAMING);
            for (String child : List.of("c1", "c2", "c3")) {
                harness.processElement(EnrichMessage.reference(video, true, "video", "v1", child, TRACE), STREAMING);
            }
            harness.getOutput().clear();

            harness.processElement(EnrichMessage.parentRow(video, "video", "v1", row("title", "New"), TRACE), STREAMING);

            assertThat(harness.extractOutputValues()).extracting(EnrichMessage::target)
                    .containsExactlyInAnyOrder("D|comments_index|c1", "D|comments_index|c2", "D|comments_index|c3");
            assertThat(harness.extractOutputValues()).allMatch(m -> m.values().equals(row("title", "New")));
        }

        @Test
        void aChildLeavingGetsItsPartRemovedAndAGoneParentWithoutChildrenLeavesNoState() throws Exception {
            harness.processElement(EnrichMessage.parentRow(video, "video", "v1", row("title", "T"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.reference(video, true, "video", "v1", "c1", TRACE), STREAMING);
            harness.processElement(EnrichMessage.reference(video, false, "video", "v1", "c1", TRACE), STREAMING);

            assertThat(harness.extractOutputValues().get(1).kind()).isEqualTo(Kind.PART_REMOVED);
            harness.processElement(EnrichMessage.parentRow(video, "video", "v1", null, TRACE), STREAMING);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Nested
    class Aggregates {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichMessage, EnrichMessage> harness;

        @BeforeEach
        void open() throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ParentStateFunction(SPEC)), EnrichMessage::target, Types.STRING);
            harness.open();
        }

        @AfterEach
        void close() throws Exception {
            harness.close();
        }

        @Test
        void countAndLatestFollowAddsUpdatesMovesAndDeletes() throws Exception {
            String v1 = EnrichMessage.aggregateTarget("videos_index", 0, "v1");
            String v2 = EnrichMessage.aggregateTarget("videos_index", 0, "v2");
            harness.processElement(EnrichMessage.contribution(v1, "0", "v1", "c1", row("published_at", "2024-01-01T00:00:00Z"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.contribution(v1, "0", "v1", "c2", row("published_at", "2024-03-01T00:00:00Z"), TRACE), STREAMING);
            // c2 moves to v2: retracted from v1, added to v2.
            harness.processElement(EnrichMessage.contribution(v1, "0", "v1", "c2", null, TRACE), STREAMING);
            harness.processElement(EnrichMessage.contribution(v2, "0", "v2", "c2", row("published_at", "2024-03-01T00:00:00Z"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.contribution(v1, "0", "v1", "c1", null, TRACE), STREAMING);

            List<EnrichMessage> out = harness.extractOutputValues();
            assertThat(out).extracting(EnrichMessage::target, EnrichMessage::values).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("D|videos_index|v1", row("comment_count", 1L, "last_comment_at", "2024-01-01T00:00:00Z")),
                    org.assertj.core.groups.Tuple.tuple("D|videos_index|v1", row("comment_count", 2L, "last_comment_at", "2024-03-01T00:00:00Z")),
                    org.assertj.core.groups.Tuple.tuple("D|videos_index|v1", row("comment_count", 1L, "last_comment_at", "2024-01-01T00:00:00Z")),
                    org.assertj.core.groups.Tuple.tuple("D|videos_index|v2", row("comment_count", 1L, "last_comment_at", "2024-03-01T00:00:00Z")),
                    org.assertj.core.groups.Tuple.tuple("D|videos_index|v1", row("comment_count", 0L, "last_comment_at", null)));
        }
    }

    @Nested
    class Documents {
        KeyedOneInputStreamOperatorTestHarness<String, EnrichMessage, DocumentWrite> harness;
        final String comment = EnrichMessage.documentTarget("comments_index", "c1");

        @BeforeEach
        void open() throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DocumentAssembler(SPEC, COALESCE)),
                    EnrichMessage::target, Types.STRING);
            harness.open();
        }

        @AfterEach
        void close() throws Exception {
            harness.close();
        }

        @Test
        void partsArrivingTogetherMakeOneWriteAfterTheCoalescingDelay() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1", "video_id", "v1", "channel_id", "u1"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.part(comment, "video", "v1", row("video_id", "v1", "title", "T"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.part(comment, "user", "u1", row("channel_id", "u1", "channel_name", "N"), TRACE), STREAMING);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

            harness.setProcessingTime(COALESCE);

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).hasSize(1);
            assertThat(writes.get(0).index()).isEqualTo("comments_index_v1");
            assertThat(writes.get(0).document()).containsEntry("video", row("video_id", "v1", "title", "T"))
                    .containsEntry("user", row("channel_id", "u1", "channel_name", "N"));
        }

        @Test
        void aPartOfTheOldParentArrivingAfterAMoveIsNotUsed() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1", "video_id", "v2", "channel_id", "u1"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.part(comment, "video", "v2", row("title", "New parent"), TRACE), STREAMING);
            harness.processElement(EnrichMessage.part(comment, "video", "v1", row("title", "Old parent, late"), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);

            assertThat(harness.extractOutputValues().get(0).document()).containsEntry("video", row("title", "New parent"));
        }

        @Test
        void versionsGrowAcrossDeleteAndReinsert() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1"), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);
            harness.processElement(EnrichMessage.rootRow(comment, null, TRACE), STREAMING);
            harness.setProcessingTime(2 * COALESCE);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1"), TRACE), STREAMING);
            harness.setProcessingTime(3 * COALESCE);

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).extracting(DocumentWrite::isDelete).containsExactly(false, true, false);
            assertThat(writes.get(1).version()).isGreaterThan(writes.get(0).version());
            assertThat(writes.get(2).version()).isGreaterThan(writes.get(1).version());
        }

        @Test
        void aDocumentFromTheSnapshotIsWrittenOnceWhenTheSnapshotHasBeenRead() throws Exception {
            String user = EnrichMessage.documentTarget("users_index", "u1");
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(user, row("channel_id", "u1", "channel_name", "N"), TRACE), SNAPSHOT);
            for (long count = 1; count <= 3; count++) {
                harness.setProcessingTime(count * 10 * COALESCE);
                harness.processElement(EnrichMessage.aggregates(user, "0", row("comment_count", count), TRACE), SNAPSHOT);
            }
            assertThat(harness.extractOutputValues()).as("held while the snapshot is read").isEmpty();

            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1_000 * COALESCE);

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).hasSize(1);
            assertThat(writes.get(0).document()).containsEntry("channel_name", "N").containsEntry("comment_count", 3L);
        }

        @Test
        void aStreamedChangeIsNotHeldAndTheSnapshotTimerThenWritesNothingMore() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1", "likes", 1L), TRACE), SNAPSHOT);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1", "likes", 2L), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);
            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1_000 * COALESCE);

            assertThat(harness.extractOutputValues()).extracting(write -> write.document().get("likes")).containsExactly(2L);
        }

        @Test
        void heldDocumentsAreReleasedAFewPerMillisecondNotAllFromTheWatermark() throws Exception {
            harness.setProcessingTime(0);
            int held = 3 * DocumentAssembler.RELEASED_PER_MILLI;
            for (int i = 0; i < held; i++) {
                harness.processElement(EnrichMessage.rootRow(EnrichMessage.documentTarget("comments_index", "c" + i), row("comment_id", "c" + i),
                        TRACE), SNAPSHOT);
            }

            harness.processWatermark(SNAPSHOT_READ);
            assertThat(harness.extractOutputValues()).as("nothing written inside the watermark").isEmpty();
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(held);

            harness.setProcessingTime(0);
            assertThat(harness.extractOutputValues()).hasSize(DocumentAssembler.RELEASED_PER_MILLI);
            harness.setProcessingTime(2);
            assertThat(harness.extractOutputValues()).hasSize(held);
        }

        @Test
        void aSnapshotFactAfterTheSnapshotWasReadIsWrittenAfterTheCoalescingDelay() throws Exception {
            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1"), TRACE), SNAPSHOT);
            harness.setProcessingTime(COALESCE);

            assertThat(harness.extractOutputValues()).hasSize(1);
        }

        @Test
        void aRestoredAssemblerWritesAboveEverythingWrittenBeforeTheFailure() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1"), TRACE), STREAMING);
            var snapshot = harness.snapshot(1, 0);
            // After the checkpoint, the failed run wrote more versions of the document.
            harness.processElement(EnrichMessage.rootRow(comment, row("comment_id", "c1", "likes", 1L), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);
            long writtenBeforeFailure = harness.extractOutputValues().get(0).version();
            harness.close();

            harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DocumentAssembler(SPEC, COALESCE)),
                    EnrichMessage::target, Types.STRING);
            harness.initializeState(snapshot);
            harness.open();
            harness.setProcessingTime(2 * COALESCE);

            List<DocumentWrite> replayed = harness.extractOutputValues();
            assertThat(replayed).hasSize(1);
            assertThat(replayed.get(0).version()).isGreaterThan(writtenBeforeFailure);
        }
    }
}
