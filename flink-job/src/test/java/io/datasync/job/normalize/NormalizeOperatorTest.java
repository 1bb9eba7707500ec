package io.datasync.job.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.decode.RowChange;
import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.types.Row;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The normalizer in Flink's keyed harness, on both state backends: rows in, before/after pairs out,
 * truncates applied. A truncate comes as {@link TruncateFanOut} sends it: one copy per key group.
 */
class NormalizeOperatorTest {
    private static final RowChange.Origin ORIGIN = new RowChange.Origin("dbserver.public.comments", 0, 0);

    private static RowChange upsert(String table, String key, long lsn) {
        return RowChange.upsert(table, key, Row.of(Map.of("id", key, "lsn", lsn)), lsn, lsn, false, ORIGIN);
    }

    /** A read of Debezium's incremental snapshot: op r, no LSN. */
    private static RowChange incrementalRead(String table, String key) {
        return RowChange.upsert(table, key, Row.of(Map.of("id", key, "lsn", 0L)), 0, 1, true, ORIGIN);
    }

    private static RowChange delete(String table, String key, long lsn) {
        return RowChange.delete(table, key, lsn, lsn, ORIGIN);
    }

    private static RowChange truncate(String table, long lsn) {
        return RowChange.truncate(table, lsn, lsn, ORIGIN);
    }

    private static final int MAX_PARALLELISM = 128;

    abstract static class OnBackend {
        KeyedOneInputStreamOperatorTestHarness<RowKey, RowChange, RowDelta> harness;

        abstract StateBackend backend();

        KeyedOneInputStreamOperatorTestHarness<RowKey, RowChange, RowDelta> open() throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new NormalizeOperator(), RowChange::rowKey, new RowKey.Info().info(),
                    MAX_PARALLELISM, 1, 0);
            harness.setStateBackend(backend());
            harness.open();
            return harness;
        }

        /** Every copy of the truncate, as the fan-out sends them through the keyed exchange (this subtask owns every key group). */
        void processTruncate(RowChange truncate) throws Exception {
            for (String key : TruncateFanOut.routingKeys(truncate.table(), MAX_PARALLELISM)) {
                harness.processElement(truncate.routedBy(key), SnapshotPhase.STREAMING);
            }
        }

        @AfterEach
        void close() throws Exception {
            harness.close();
        }

        @Test
        void aTruncateDeletesEveryKeptRowOfItsTableAndNoOther() throws Exception {
            open();
            for (int i = 0; i < 1_000; i++) {
                harness.processElement(upsert("comments", "c" + i, 100 + i), SnapshotPhase.STREAMING);
            }
            harness.processElement(upsert("videos", "v1", 50), SnapshotPhase.STREAMING);
            harness.getOutput().clear();

            processTruncate(truncate("comments", 5_000));

            List<RowDelta> deletes = harness.extractOutputValues();
            assertThat(deletes).hasSize(1_000).allMatch(RowDelta::isDelete).allMatch(delete -> delete.table().equals("comments"))
                    .allMatch(delete -> delete.lsn() == 5_000);
            assertThat(deletes.get(0).before().toMap()).containsKey("id");
            harness.getOutput().clear();

            // The rows are gone from state: inserting one again is an insert, with no before.
            harness.processElement(upsert("comments", "c1", 6_000), SnapshotPhase.STREAMING);
            assertThat(harness.extractOutputValues()).singleElement().extracting(RowDelta::before).isNull();
        }

        @Test
        void aRowChangedAfterTheTruncateSurvivesItAndAnOlderChangeArrivingLateIsDropped() throws Exception {
            open();
            harness.processElement(upsert("comments", "new", 600), SnapshotPhase.STREAMING);
            processTruncate(truncate("comments", 500));
            assertThat(harness.extractOutputValues()).extracting(RowDelta::isDelete).containsExactly(false);
            harness.getOutput().clear();

            harness.processElement(upsert("comments", "old", 400), SnapshotPhase.STREAMING);
            processTruncate(truncate("comments", 500));

            assertThat(harness.extractOutputValues()).as("a change from before the truncate, and the replayed truncate").isEmpty();
        }

        @Test
        void aTruncateRecordedBeforeASnapshotStillDropsOlderChangesOnEverySubtaskAfterARestoreAtTwiceTheParallelism() throws Exception {
            open();
            processTruncate(truncate("comments", 500));
            OperatorSubtaskState snapshot = harness.snapshot(1, 1);

            for (int subtask = 0; subtask < 2; subtask++) {
                try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(new NormalizeOperator(), RowChange::rowKey, new RowKey.Info().info(),
                        MAX_PARALLELISM, 2, subtask)) {
                    restored.setStateBackend(backend());
                    restored.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 1, 2, subtask));
                    restored.open();
                    // Each subtask gets only the keys of its own key groups: the first ten of them, changed before the truncate and after.
                    int owner = subtask;
                    List<String> keys = IntStream.range(0, 40).mapToObj(i -> "c" + i)
                            .filter(key -> KeyGroupRangeAssignment.assignKeyToParallelOperator(new RowKey("comments", key), MAX_PARALLELISM, 2) == owner)
                            .limit(10).toList();
                    for (String key : keys) {
                        restored.processElement(upsert("comments", key, 400), SnapshotPhase.STREAMING);
                        restored.processElement(upsert("comments", key, 600), SnapshotPhase.STREAMING);
                    }
                    assertThat(restored.extractOutputValues()).as("subtask " + subtask + ": only the changes after the truncate")
                            .extracting(RowDelta::lsn).hasSize(10).containsOnly(600L);
                }
            }
        }

        @Test
        void anIncrementalSnapshotsStaleReadAfterADeleteOrATruncateDoesNotBringTheRowBack() throws Exception {
            open();
            harness.processElement(upsert("comments", "deleted", 100), SnapshotPhase.STREAMING);
            harness.processElement(delete("comments", "deleted", 200), SnapshotPhase.STREAMING);
            harness.processElement(delete("comments", "never-seen-deleted", 300), SnapshotPhase.STREAMING);
            harness.processElement(upsert("videos", "kept", 400), SnapshotPhase.STREAMING);
            processTruncate(truncate("videos", 500));
            harness.getOutput().clear();

            for (RowChange read : List.of(incrementalRead("comments", "deleted"), incrementalRead("comments", "never-seen-deleted"),
                    incrementalRead("videos", "kept"), incrementalRead("videos", "not-seen-since-the-truncate"))) {
                harness.processElement(read, SnapshotPhase.SNAPSHOT);
            }
            assertThat(harness.extractOutputValues()).as("every one of these reads is older than the delete or truncate before it").isEmpty();

            harness.processElement(incrementalRead("comments", "never-seen"), SnapshotPhase.SNAPSHOT);
            harness.processElement(upsert("comments", "deleted", 600), SnapshotPhase.STREAMING);
            assertThat(harness.extractOutputValues()).extracting(RowDelta::key, delta -> delta.before() == null)
                    .as("a read of a row never seen is the row; an insert after the delete brings the row back")
                    .containsExactly(Tuple.tuple("never-seen", true), Tuple.tuple("deleted", true));
        }
    }

    @Nested
    class OnHeap extends OnBackend {
        @Override
        StateBackend backend() {
            return new HashMapStateBackend();
        }
    }

    @Nested
    class OnRocksDb extends OnBackend {
        @Override
        StateBackend backend() {
            return new EmbeddedRocksDBStateBackend();
        }
    }
}
