package io.datasync.job.enrich;

import static io.datasync.job.decode.SnapshotPhase.SNAPSHOT;
import static io.datasync.job.decode.SnapshotPhase.SNAPSHOT_READ;
import static io.datasync.job.decode.SnapshotPhase.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.enrich.DocumentInput.AggregateResults;
import io.datasync.job.enrich.DocumentInput.Part;
import io.datasync.job.enrich.DocumentInput.RootRow;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.ParentUpdate.ParentChanged;
import io.datasync.job.sink.DocumentWrite;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.job.types.Row;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TimerHeapInternalTimer;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

/** The keyed enrichment operators in Flink's operator test harness: output, timers, state entries. */
class EnrichOperatorsTest {
    static final SyncSpec SPEC = SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC);
    static final Trace TRACE = new Trace("comments", "c0", 100, 1_000);
    static final long COALESCE = 200;
    static final int BATCH = 2;
    static final String BY_VIDEO = "comments.video_id->videos.video_id";

    static Row row(Object... pairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            row.put((String) pairs[i], pairs[i + 1]);
        }
        return Row.of(row);
    }

    @Nested
    class ParentState {
        KeyedOneInputStreamOperatorTestHarness<ParentKey, ParentUpdate, DocumentInput> harness;
        final ParentKey video = new ParentKey(BY_VIDEO, "v1");
        final ParentKey otherVideo = new ParentKey(BY_VIDEO, "v2");

        @BeforeEach
        void open() throws Exception {
            harness = parentState(new ParentStateFunction(SPEC));
            harness.open();
        }

        KeyedOneInputStreamOperatorTestHarness<ParentKey, ParentUpdate, DocumentInput> parentState(ParentStateFunction function) throws Exception {
            var parentState = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), ParentUpdate::parent,
                    new ParentKey.Info().info());
            parentState.setup(new DocumentInput.Serializer());
            return parentState;
        }

        /** The harness again, sending a parent's change to {@code slice} children per record or timer; processing time 0. */
        void reopenWithSlice(int slice, OperatorSubtaskState checkpoint) throws Exception {
            harness.close();
            harness = parentState(new ParentStateFunction(SPEC, true, slice));
            if (checkpoint != null) {
                harness.initializeState(checkpoint);
            }
            harness.open();
            harness.setProcessingTime(0);
        }

        Row titled(String title) {
            return row("video_id", "v1", "title", title, "category", "C");
        }

        /** Video v1 with comments c1…c{count}; the output cleared. */
        void videoWithComments(String title, int count) throws Exception {
            harness.processElement(new ParentChanged(video, titled(title), TRACE), STREAMING);
            for (int i = 1; i <= count; i++) {
                harness.processElement(new ChildChanged(video, "c" + i, row("published_at", null), TRACE), STREAMING);
            }
            harness.getOutput().clear();
        }

        /** The fields each child's document got last. */
        Map<String, Row> lastPartPerChild() {
            Map<String, Row> last = new LinkedHashMap<>();
            parts().forEach(part -> last.put(part.document().id(), part.fields()));
            return last;
        }

        @AfterEach
        void close() throws Exception {
            harness.close();
        }

        List<Part> parts() {
            return harness.extractOutputValues().stream().filter(Part.class::isInstance).map(Part.class::cast).toList();
        }

        List<AggregateResults> results() {
            return harness.extractOutputValues().stream().filter(AggregateResults.class::isInstance).map(AggregateResults.class::cast).toList();
        }

        @Test
        void aChildBeforeItsParentGetsNoPartThenTheFieldsWhenTheParentArrives() throws Exception {
            harness.processElement(new ChildChanged(video, "c1", row("published_at", "2024-01-01T00:00:00Z"), TRACE), STREAMING);
            assertThat(parts()).as("nothing is sent while the parent is unknown").isEmpty();

            harness.processElement(new ParentChanged(video, row("video_id", "v1", "title", "T", "category", "C"), TRACE), STREAMING);

            assertThat(parts()).singleElement().satisfies(part -> {
                assertThat(part.document()).isEqualTo(new DocumentKey("comments_index", "c1"));
                assertThat(part.lookup()).isEqualTo("video");
                assertThat(part.fields()).isEqualTo(row("video_id", "v1", "title", "T", "category", "C"));
            });
        }

        @Test
        void aRenameFansOutToEveryReferencingChild() throws Exception {
            harness.processElement(new ParentChanged(video, row("video_id", "v1", "title", "Old", "category", "C"), TRACE), STREAMING);
            for (String child : List.of("c1", "c2", "c3")) {
                harness.processElement(new ChildChanged(video, child, row("published_at", null), TRACE), STREAMING);
            }
            harness.getOutput().clear();

            harness.processElement(new ParentChanged(video, row("video_id", "v1", "title", "New", "category", "C"), TRACE), STREAMING);

            assertThat(parts()).extracting(part -> part.document().id()).containsExactlyInAnyOrder("c1", "c2", "c3");
            assertThat(parts()).allMatch(part -> part.fields().equals(row("video_id", "v1", "title", "New", "category", "C")));
        }

        @Test
        void aRenameOfAParentWithMoreChildrenThanASliceIsSentASliceAtATimeSoCheckpointsGetInBetween() throws Exception {
            reopenWithSlice(2, null);
            videoWithComments("Old", 5);
            int entries = harness.numKeyedStateEntries();

            harness.processElement(new ParentChanged(video, titled("New"), TRACE), STREAMING);
            assertThat(parts()).as("one slice within the record").hasSize(2);
            harness.setProcessingTime(1);
            assertThat(parts()).as("the next slice on a timer").hasSize(4);
            harness.setProcessingTime(2);

            assertThat(lastPartPerChild()).containsOnlyKeys("c1", "c2", "c3", "c4", "c5").allSatisfy((child, fields) -> assertThat(fields).isEqualTo(titled("New")));
            assertThat(parts()).hasSize(5);
            assertThat(harness.numProcessingTimeTimers()).isZero();
            assertThat(harness.numKeyedStateEntries()).as("nothing left of the fan-out").isEqualTo(entries);
        }

        @Test
        void aRenameWhileAnEarlierOneIsStillBeingSentLeavesEveryChildWithTheNewestFields() throws Exception {
            reopenWithSlice(2, null);
            videoWithComments("Old", 5);

            harness.processElement(new ParentChanged(video, titled("First"), TRACE), STREAMING);
            harness.setProcessingTime(1);
            harness.processElement(new ParentChanged(video, titled("Second"), TRACE), STREAMING);
            for (long time = 2; time <= 4; time++) {
                harness.setProcessingTime(time);
            }

            assertThat(lastPartPerChild()).containsOnlyKeys("c1", "c2", "c3", "c4", "c5").allSatisfy((child, fields) -> assertThat(fields).isEqualTo(titled("Second")));
        }

        @Test
        void aFanOutUnderwayAtACheckpointGoesOnAfterARestore() throws Exception {
            reopenWithSlice(2, null);
            videoWithComments("Old", 5);
            harness.processElement(new ParentChanged(video, titled("New"), TRACE), STREAMING);
            OperatorSubtaskState checkpoint = harness.snapshot(1, 0);

            reopenWithSlice(2, checkpoint);
            harness.setProcessingTime(1);
            harness.setProcessingTime(2);

            assertThat(lastPartPerChild()).containsOnlyKeys("c3", "c4", "c5").allSatisfy((child, fields) -> assertThat(fields).isEqualTo(titled("New")));
        }

        @Test
        void aChildLeavingGetsItsPartRemovedAndAGoneParentWithoutChildrenLeavesNoState() throws Exception {
            harness.processElement(new ParentChanged(video, row("video_id", "v1", "title", "T", "category", "C"), TRACE), STREAMING);
            harness.processElement(new ChildChanged(video, "c1", row("published_at", null), TRACE), STREAMING);
            harness.processElement(new ChildChanged(video, "c1", null, TRACE), STREAMING);

            assertThat(parts()).extracting(Part::fields).containsExactly(row("video_id", "v1", "title", "T", "category", "C"), null);
            harness.processElement(new ParentChanged(video, null, TRACE), STREAMING);
            assertThat(harness.numKeyedStateEntries()).isZero();
        }

        @Test
        void countAndLatestFollowAddsUpdatesMovesAndDeletes() throws Exception {
            harness.processElement(new ChildChanged(video, "c1", row("published_at", "2024-01-01T00:00:00Z"), TRACE), STREAMING);
            harness.processElement(new ChildChanged(video, "c2", row("published_at", "2024-03-01T00:00:00Z"), TRACE), STREAMING);
            // c2 moves to v2: it leaves v1 and joins v2.
            harness.processElement(new ChildChanged(video, "c2", null, TRACE), STREAMING);
            harness.processElement(new ChildChanged(otherVideo, "c2", row("published_at", "2024-03-01T00:00:00Z"), TRACE), STREAMING);
            harness.processElement(new ChildChanged(video, "c1", null, TRACE), STREAMING);

            assertThat(results()).extracting(r -> r.document().id() + " " + r.aggregate() + " " + r.results()).containsExactly(
                    "v1 comments_by_video_id {\"comment_count\":1,\"last_comment_at\":\"2024-01-01T00:00:00Z\"}",
                    "v1 comments_by_video_id {\"comment_count\":2,\"last_comment_at\":\"2024-03-01T00:00:00Z\"}",
                    "v1 comments_by_video_id {\"comment_count\":1,\"last_comment_at\":\"2024-01-01T00:00:00Z\"}",
                    "v2 comments_by_video_id {\"comment_count\":1,\"last_comment_at\":\"2024-03-01T00:00:00Z\"}",
                    "v1 comments_by_video_id {\"comment_count\":0,\"last_comment_at\":null}");
            assertThat(results()).allMatch(r -> r.document().index().equals("videos_index"));
        }

        @Test
        void duringTheSnapshotResultsAreSentOncePerParentWhenTheSnapshotHasBeenRead() throws Exception {
            for (int i = 1; i <= 5; i++) {
                harness.processElement(new ChildChanged(video, "c" + i, row("published_at", "2024-01-0" + i + "T00:00:00Z"), TRACE), SNAPSHOT);
            }
            assertThat(results()).as("nothing per contribution while the snapshot is read").isEmpty();
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);

            harness.processWatermark(SNAPSHOT_READ);

            assertThat(results()).extracting(AggregateResults::results)
                    .containsExactly(row("comment_count", 5L, "last_comment_at", "2024-01-05T00:00:00Z"));
        }

        @Test
        void aStreamedChangeBeforeTheSnapshotEndsComputesTheResultsFromAllChildren() throws Exception {
            harness.processElement(new ChildChanged(video, "c1", row("published_at", "2024-01-01T00:00:00Z"), TRACE), SNAPSHOT);
            harness.processElement(new ChildChanged(video, "c2", row("published_at", "2024-01-02T00:00:00Z"), TRACE), STREAMING);

            assertThat(results()).extracting(AggregateResults::results)
                    .containsExactly(row("comment_count", 2L, "last_comment_at", "2024-01-02T00:00:00Z"));
            harness.processWatermark(SNAPSHOT_READ);
            assertThat(results()).as("the timer finds nothing held any more").hasSize(1);
        }
    }

    @Nested
    class Documents {
        KeyedOneInputStreamOperatorTestHarness<DocumentKey, DocumentInput, DocumentWrite> harness;
        final DocumentKey comment = new DocumentKey("comments_index", "c1");

        @BeforeEach
        void open() throws Exception {
            harness = assembler();
            harness.setup(new DocumentWrite.Serializer());
            harness.open();
        }

        KeyedOneInputStreamOperatorTestHarness<DocumentKey, DocumentInput, DocumentWrite> assembler() throws Exception {
            return assembler(new DocumentAssembler(SPEC, COALESCE, BATCH));
        }

        /** The harness closed, as a failed task's, and a new assembler restored from {@code checkpoint}. */
        void restoreFrom(OperatorSubtaskState checkpoint) throws Exception {
            harness.close();
            harness = assembler();
            harness.initializeState(checkpoint);
            harness.open();
        }

        /** The harness again, on an assembler the test can reach into; processing time 0. */
        DocumentAssembler reopenWithOperatorAtHand() throws Exception {
            DocumentAssembler operator = new DocumentAssembler(SPEC, COALESCE, BATCH);
            harness.close();
            harness = assembler(operator);
            harness.setup(new DocumentWrite.Serializer());
            harness.open();
            harness.setProcessingTime(0);
            return operator;
        }

        KeyedOneInputStreamOperatorTestHarness<DocumentKey, DocumentInput, DocumentWrite> assembler(DocumentAssembler operator) throws Exception {
            return new KeyedOneInputStreamOperatorTestHarness<>(operator, DocumentInput::document, new DocumentKey.Info().info());
        }

        @AfterEach
        void close() throws Exception {
            harness.close();
        }

        String source(DocumentWrite write) {
            return new String(write.source(), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Test
        void partsArrivingTogetherMakeOneWriteAfterTheCoalescingDelay() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "video_id", "v1", "channel_id", "u1"), TRACE), STREAMING);
            harness.processElement(new Part(comment, "video", "v1", row("video_id", "v1", "title", "T"), TRACE), STREAMING);
            harness.processElement(new Part(comment, "user", "u1", row("channel_id", "u1", "channel_name", "N"), TRACE), STREAMING);
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numProcessingTimeTimers()).as("no keyed timer per document: in RocksDB a put and a delete each").isZero();
            assertThat(harness.getProcessingTimeService().getNumActiveTimers()).as("one callback for the waiting documents").isEqualTo(1);

            harness.setProcessingTime(COALESCE);

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).hasSize(1);
            assertThat(writes.get(0).index()).isEqualTo("comments_index_v1");
            assertThat(writes.get(0).alias()).isEqualTo("comments_index");
            assertThat(source(writes.get(0))).isEqualTo("{\"comment_id\":\"c1\",\"video_id\":\"v1\",\"channel_id\":\"u1\","
                    + "\"video\":{\"video_id\":\"v1\",\"title\":\"T\"},\"user\":{\"channel_id\":\"u1\",\"channel_name\":\"N\"}}");
            assertThat(harness.numKeyedStateEntries()).as("one state value per document").isEqualTo(1);
        }

        @Test
        void aPartOfTheOldParentArrivingAfterAMoveIsNotUsed() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "video_id", "v2", "channel_id", "u1"), TRACE), STREAMING);
            harness.processElement(new Part(comment, "video", "v2", row("title", "New parent"), TRACE), STREAMING);
            harness.processElement(new Part(comment, "video", "v1", row("title", "Old parent, late"), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);

            assertThat(source(harness.extractOutputValues().get(0))).contains("\"video\":{\"title\":\"New parent\"}");
        }

        @Test
        void versionsGrowAcrossDeleteAndReinsert() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1"), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);
            harness.processElement(new RootRow(comment, null, TRACE), STREAMING);
            harness.setProcessingTime(2 * COALESCE);
            harness.processElement(new RootRow(comment, row("comment_id", "c1"), TRACE), STREAMING);
            harness.setProcessingTime(3 * COALESCE);

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).extracting(DocumentWrite::isDelete).containsExactly(false, true, false);
            assertThat(writes.get(1).version()).isGreaterThan(writes.get(0).version());
            assertThat(writes.get(2).version()).isGreaterThan(writes.get(1).version());
            assertThat(writes).extracting(DocumentWrite::correlationId).containsOnly("comments:c0@100");
        }

        @Test
        void aWriteNamesItsOwnRowChangeThoughTheStateKeepsTheTraceWithoutTheKey() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1"), new Trace("comments", "c1", 7, 1_000)), STREAMING);
            harness.setProcessingTime(COALESCE);
            harness.processElement(new Part(comment, "video", "v1", row("video_id", "v1", "title", "T"), new Trace("videos", "v1", 8, 1_000)),
                    STREAMING);
            harness.setProcessingTime(2 * COALESCE);

            assertThat(harness.extractOutputValues()).extracting(DocumentWrite::correlationId).containsExactly("comments:c1@7", "videos:v1@8");
        }

        @Test
        void onTheHeapTheSameParentsFieldsAreKeptOnceForAllItsChildren() {
            Row fields = row("video_id", "v1", "title", "T");
            DocumentState first = DocumentState.NEW.apply(new Part(comment, "video", "v1", fields, TRACE), true);
            DocumentState second = DocumentState.NEW.apply(new Part(new DocumentKey("comments_index", "c2"), "video", "v1",
                    row("video_id", "v1", "title", "T"), TRACE), true);

            assertThat(second.parts().get(0)).isEqualTo(first.parts().get(0)).isSameAs(first.parts().get(0));
            assertThat(first.aggregates()).isSameAs(Map.of());
        }

        @Test
        void withoutSharingEachDocumentKeepsItsOwnParentsFields() {
            DocumentState first = DocumentState.NEW.apply(new Part(comment, "video", "v1", row("video_id", "v1", "title", "T"), TRACE), false);
            DocumentState second = DocumentState.NEW.apply(new Part(new DocumentKey("comments_index", "c2"), "video", "v1",
                    row("video_id", "v1", "title", "T"), TRACE), false);

            assertThat(second.parts().get(0)).isEqualTo(first.parts().get(0)).isNotSameAs(first.parts().get(0));
        }

        @Test
        void aDocumentFromTheSnapshotIsWrittenOnceWhenTheSnapshotHasBeenRead() throws Exception {
            DocumentKey user = new DocumentKey("users_index", "u1");
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(user, row("channel_id", "u1", "channel_name", "N"), TRACE), SNAPSHOT);
            for (long count = 1; count <= 3; count++) {
                harness.setProcessingTime(count * 10 * COALESCE);
                harness.processElement(new AggregateResults(user, "comments_by_channel_id", row("comment_count", count), TRACE), SNAPSHOT);
            }
            assertThat(harness.extractOutputValues()).as("held while the snapshot is read").isEmpty();

            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1_000 * COALESCE);

            List<DocumentWrite> writes = harness.extractOutputValues();
            assertThat(writes).hasSize(1);
            assertThat(source(writes.get(0))).isEqualTo("{\"channel_id\":\"u1\",\"channel_name\":\"N\",\"comment_count\":3}");
        }

        @Test
        void aStreamedChangeIsNotHeldAndTheSnapshotTimerThenWritesNothingMore() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "likes", 1L), TRACE), SNAPSHOT);
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "likes", 2L), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);
            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1_000 * COALESCE);

            assertThat(harness.extractOutputValues()).extracting(this::source).singleElement().asString().contains("\"likes\":2");
        }

        @Test
        void heldDocumentsAreReleasedInBatchesOutsideTheWatermark() throws Exception {
            harness.setProcessingTime(0);
            int held = 3 * BATCH + 1;
            for (int i = 0; i < held; i++) {
                harness.processElement(new RootRow(new DocumentKey("comments_index", "c" + i), row("comment_id", "c" + i), TRACE), SNAPSHOT);
            }

            harness.processWatermark(SNAPSHOT_READ);
            assertThat(harness.extractOutputValues()).as("nothing written inside the watermark").isEmpty();
            assertThat(harness.getProcessingTimeService().getNumActiveTimers()).as("one release callback, not one timer per document").isEqualTo(1);

            harness.setProcessingTime(1);
            assertThat(harness.extractOutputValues()).hasSize(held);
        }

        @Test
        void theDocumentsHeldForTheSnapshotAreCountedUntilReleasedForTheStatusPage() throws Exception {
            DocumentAssembler operator = reopenWithOperatorAtHand();
            for (int i = 0; i < 3; i++) {
                harness.processElement(new RootRow(new DocumentKey("comments_index", "c" + i), row("comment_id", "c" + i), TRACE), SNAPSHOT);
            }
            harness.processElement(new Part(new DocumentKey("comments_index", "c0"), "video", "v1", row("video_id", "v1", "title", "T"), TRACE), SNAPSHOT);
            assertThat(operator.heldDocuments()).as("a second fact of a held document").isEqualTo(3);

            harness.processElement(new RootRow(new DocumentKey("comments_index", "c2"), row("comment_id", "c2", "likes", 5L), TRACE), STREAMING);
            assertThat(operator.heldDocuments()).as("a streamed change writes it after the coalescing delay instead").isEqualTo(2);

            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1);
            assertThat(harness.extractOutputValues()).hasSize(2);
            assertThat(operator.heldDocuments()).isZero();
        }

        @Test
        void documentsHeldAtACheckpointTakenDuringTheReleaseAreWrittenAfterARestore() throws Exception {
            harness.setProcessingTime(0);
            for (int i = 0; i < 3; i++) {
                harness.processElement(new RootRow(new DocumentKey("comments_index", "c" + i), row("comment_id", "c" + i), TRACE), SNAPSHOT);
            }
            harness.processWatermark(SNAPSHOT_READ);
            OperatorSubtaskState checkpoint = harness.snapshot(1, 0);
            restoreFrom(checkpoint);
            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1);

            assertThat(harness.extractOutputValues()).extracting(DocumentWrite::id).containsExactlyInAnyOrder("c0", "c1", "c2");
        }

        @Test
        void onRocksDbTheSpentTimersOfTheDocumentsHeldDuringTheSnapshotAreCompactedAwayAfterTheNextCheckpoint() throws Exception {
            DocumentAssembler operator = new DocumentAssembler(SPEC, COALESCE, BATCH);
            harness.close();
            harness = assembler(operator);
            EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend(true);
            rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
            harness.setStateBackend(rocksDb);
            harness.setup(new DocumentWrite.Serializer());
            harness.open();
            harness.setProcessingTime(0);
            for (int i = 0; i < 50; i++) {
                harness.processElement(new RootRow(new DocumentKey("comments_index", "c" + i), row("comment_id", "c" + i), TRACE), SNAPSHOT);
            }
            // A checkpoint while the snapshot is read writes the timers out to a file, as at seed size.
            harness.snapshot(1, 1);
            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(1);
            assertThat(harness.extractOutputValues()).hasSize(50);
            harness.snapshot(2, 2);
            assertThat(eventTimerRecords(operator)).as("the spent timers' puts and deletes, written out by the checkpoints").isEqualTo(100);

            harness.notifyOfCompletedCheckpoint(2);

            assertThat(eventTimerRecords(operator)).isZero();
        }

        /** Records (puts and deletes) in the assembler's event-time timer column family: in its memtables and files. */
        private long eventTimerRecords(DocumentAssembler operator) throws Exception {
            RocksDBKeyedStateBackend<?> backend = (RocksDBKeyedStateBackend<?>) operator.getKeyedStateBackend();
            java.lang.reflect.Field dbField = RocksDBKeyedStateBackend.class.getDeclaredField("db");
            java.lang.reflect.Field statesField = RocksDBKeyedStateBackend.class.getDeclaredField("kvStateInformation");
            dbField.setAccessible(true);
            statesField.setAccessible(true);
            RocksDB db = (RocksDB) dbField.get(backend);
            ColumnFamilyHandle timers = ((Map<String, RocksDBKeyedStateBackend.RocksDbKvStateInfo>) statesField.get(backend))
                    .get(DocumentAssembler.EVENT_TIMERS_COLUMN_FAMILY).columnFamilyHandle;
            long records = db.getLongProperty(timers, "rocksdb.num-entries-active-mem-table") + db.getLongProperty(timers, "rocksdb.num-entries-imm-mem-tables");
            for (TableProperties file : db.getPropertiesOfAllTables(timers).values()) {
                records += file.getNumEntries();
            }
            return records;
        }

        @Test
        void onlyARestoreFromACheckpointTakenDuringTheReleaseReadsEveryDocument() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1"), TRACE), SNAPSHOT);
            OperatorSubtaskState holding = harness.snapshot(1, 0);
            harness.processWatermark(SNAPSHOT_READ);
            OperatorSubtaskState releasing = harness.snapshot(2, 0);
            harness.setProcessingTime(1);
            OperatorSubtaskState released = harness.snapshot(3, 0);

            assertThat(restoredFrom(holding)).as("held with its timer").isFalse();
            assertThat(restoredFrom(releasing)).as("queued for release, its timer spent").isTrue();
            assertThat(restoredFrom(released)).as("written").isFalse();
        }

        private boolean restoredFrom(OperatorSubtaskState checkpoint) throws Exception {
            DocumentAssembler operator = new DocumentAssembler(SPEC, COALESCE, BATCH);
            try (var restored = assembler(operator)) {
                restored.initializeState(checkpoint);
                restored.open();
                return operator.rescansHeldDocuments();
            }
        }

        @Test
        void aDocumentWhoseTimerFiredButWhoseWriteWasStillQueuedAtACheckpointIsWrittenAfterARestore() throws Exception {
            DocumentAssembler operator = reopenWithOperatorAtHand();
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "likes", 3L), TRACE), STREAMING);
            // The timer fires and queues the write, whose batch has not run yet when the checkpoint comes
            // (the harness would run it within the same setProcessingTime): fired by hand, its timer deleted.
            InternalTimerService<VoidNamespace> timers = operator.getInternalTimerService(DocumentAssembler.TIMERS, VoidNamespaceSerializer.INSTANCE, operator);
            operator.setCurrentKey(comment);
            timers.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, COALESCE);
            operator.onProcessingTime(new TimerHeapInternalTimer<>(COALESCE, comment, VoidNamespace.INSTANCE));
            // As a task checkpoints: before the barrier goes downstream, then the snapshot.
            harness.prepareSnapshotPreBarrier(1);
            OperatorSubtaskState checkpoint = harness.snapshot(1, 0);
            restoreFrom(checkpoint);
            harness.setProcessingTime(COALESCE);

            assertThat(harness.extractOutputValues()).extracting(this::source).singleElement().asString().contains("\"likes\":3");
        }

        @Test
        void documentsStillWaitingOutTheirDelayAtACheckpointAreWrittenAfterARestoreAndOnlyOnceWithoutOne() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "likes", 4L), TRACE), STREAMING);
            harness.processElement(new RootRow(new DocumentKey("comments_index", "c2"), row("comment_id", "c2"), TRACE), STREAMING);
            // As a task checkpoints: before the barrier goes downstream, then the snapshot.
            harness.prepareSnapshotPreBarrier(1);
            assertThat(harness.numProcessingTimeTimers()).as("the waiting documents' timers, taken into the checkpoint").isEqualTo(2);
            OperatorSubtaskState checkpoint = harness.snapshot(1, 0);
            harness.setProcessingTime(COALESCE);
            assertThat(harness.extractOutputValues()).as("the run that took the checkpoint writes each once").extracting(DocumentWrite::id)
                    .containsExactlyInAnyOrder("c1", "c2");

            restoreFrom(checkpoint);
            harness.setProcessingTime(COALESCE);

            assertThat(harness.extractOutputValues()).extracting(DocumentWrite::id).containsExactlyInAnyOrder("c1", "c2");
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }

        @Test
        void aSnapshotFactAfterTheSnapshotWasReadIsWrittenAfterTheCoalescingDelay() throws Exception {
            harness.processWatermark(SNAPSHOT_READ);
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1"), TRACE), SNAPSHOT);
            harness.setProcessingTime(COALESCE);

            assertThat(harness.extractOutputValues()).hasSize(1);
        }

        @Test
        void aRestoredAssemblerWritesAboveEverythingWrittenBeforeTheFailure() throws Exception {
            harness.setProcessingTime(0);
            harness.processElement(new RootRow(comment, row("comment_id", "c1"), TRACE), STREAMING);
            harness.prepareSnapshotPreBarrier(1);
            OperatorSubtaskState snapshot = harness.snapshot(1, 0);
            // After the checkpoint, the failed run wrote more versions of the document.
            harness.processElement(new RootRow(comment, row("comment_id", "c1", "likes", 1L), TRACE), STREAMING);
            harness.setProcessingTime(COALESCE);
            long writtenBeforeFailure = harness.extractOutputValues().get(0).version();
            restoreFrom(snapshot);
            harness.setProcessingTime(2 * COALESCE);

            List<DocumentWrite> replayed = harness.extractOutputValues();
            assertThat(replayed).hasSize(1);
            assertThat(replayed.get(0).version()).isGreaterThan(writtenBeforeFailure);
        }
    }
}
