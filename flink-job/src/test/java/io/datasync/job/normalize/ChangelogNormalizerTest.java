package io.datasync.job.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.job.decode.RowChange;
import io.datasync.job.normalize.ChangelogNormalizer.Step;
import io.datasync.job.types.Row;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangelogNormalizerTest {
    private static final String TABLE = "comments";
    private static final String KEY = "c-1";
    private static final RowChange.Origin ORIGIN = new RowChange.Origin("dbserver.public.comments", 0, 10L);

    private static final Map<String, Object> FIRST_ROW = comment("Great video", 3L);
    private static final Map<String, Object> LIKED_ROW = comment("Great video", 4L);

    private static Map<String, Object> comment(String text, long likes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("comment_id", KEY);
        row.put("video_id", "v-1");
        row.put("comment_text", text);
        row.put("likes", likes);
        return row;
    }

    private static Map<String, Object> with(Map<String, Object> row, String column, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.put(column, value);
        return copy;
    }

    private static RowChange upsert(Map<String, Object> row, long lsn) {
        return RowChange.upsert(TABLE, KEY, Row.of(row), lsn, 1_000L + lsn, false, ORIGIN);
    }

    private static RowChange delete(long lsn) {
        return RowChange.delete(TABLE, KEY, lsn, 1_000L + lsn, ORIGIN);
    }

    /** What normalize keeps after having seen this row. */
    private static LastRow last(Map<String, Object> row) {
        return new LastRow(Row.of(row), 1, RowChange.columnsHash(row.keySet()));
    }

    @Test
    void anInsertHasNoBefore() {
        Step step = ChangelogNormalizer.apply(null, upsert(FIRST_ROW, 100));

        assertThat(step.delta()).contains(new RowDelta(TABLE, KEY, null, Row.of(FIRST_ROW), 100, 1_100));
        assertThat(step.current().row().toMap()).isEqualTo(FIRST_ROW);
        assertThat(step.unresolvedPlaceholders()).isZero();
    }

    @Test
    void anUpdateHasThePreviousRowAsBefore() {
        Step step = ChangelogNormalizer.apply(last(FIRST_ROW), upsert(LIKED_ROW, 200));

        RowDelta delta = step.delta().orElseThrow();
        assertThat(delta.before().toMap()).isEqualTo(FIRST_ROW);
        assertThat(delta.after().toMap()).isEqualTo(LIKED_ROW);
        assertThat(delta.isDelete()).isFalse();
        assertThat(step.current().row().toMap()).isEqualTo(LIKED_ROW);
    }

    @Test
    void theDeltaCarriesTheSourcePosition() {
        RowDelta delta = ChangelogNormalizer.apply(last(FIRST_ROW), upsert(LIKED_ROW, 200)).delta().orElseThrow();

        assertThat(delta.table()).isEqualTo(TABLE);
        assertThat(delta.key()).isEqualTo(KEY);
        assertThat(delta.lsn()).isEqualTo(200);
        assertThat(delta.commitMillis()).isEqualTo(1_200);
        assertThat(delta.correlationId()).isEqualTo("comments:c-1@200");
    }

    @Test
    void aToastPlaceholderTakesThePreviousValue() {
        Map<String, Object> toasted = with(LIKED_ROW, "comment_text", RowChange.UNAVAILABLE);

        Step step = ChangelogNormalizer.apply(last(FIRST_ROW), upsert(toasted, 200));

        RowDelta delta = step.delta().orElseThrow();
        assertThat(delta.after().toMap()).isEqualTo(LIKED_ROW);
        assertThat(delta.after().toMap()).doesNotContainValue(RowChange.UNAVAILABLE);
        assertThat(step.current().row().toMap()).isEqualTo(LIKED_ROW);
        assertThat(step.unresolvedPlaceholders()).isZero();
    }

    @Test
    void aToastPlaceholderTakesAPreviousNullToo() {
        Map<String, Object> previous = with(FIRST_ROW, "comment_text", null);

        Step step = ChangelogNormalizer.apply(last(previous), upsert(with(LIKED_ROW, "comment_text", RowChange.UNAVAILABLE), 200));

        assertThat(step.delta().orElseThrow().after().toMap()).containsEntry("comment_text", null);
        assertThat(step.unresolvedPlaceholders()).isZero();
    }

    @Test
    void aToastPlaceholderWithoutPreviousRowIsLeftOutAndCounted() {
        Map<String, Object> toasted = with(LIKED_ROW, "comment_text", RowChange.UNAVAILABLE);

        Step step = ChangelogNormalizer.apply(null, upsert(toasted, 200));

        RowDelta delta = step.delta().orElseThrow();
        assertThat(delta.before()).isNull();
        assertThat(delta.after().toMap()).doesNotContainKey("comment_text").doesNotContainValue(RowChange.UNAVAILABLE);
        assertThat(delta.after().toMap()).containsEntry("likes", 4L);
        assertThat(step.current().row()).isEqualTo(delta.after());
        assertThat(step.unresolvedPlaceholders()).isEqualTo(1);
    }

    @Test
    void theChangeItselfIsNotModified() {
        Map<String, Object> toasted = with(LIKED_ROW, "comment_text", RowChange.UNAVAILABLE);
        Map<String, Object> asSent = new LinkedHashMap<>(toasted);

        RowChange change = upsert(toasted, 200);
        ChangelogNormalizer.apply(last(FIRST_ROW), change);

        assertThat(change.row().toMap()).isEqualTo(asSent);
    }

    @Test
    void aReplayedIdenticalUpsertGivesNoDelta() {
        Step step = ChangelogNormalizer.apply(last(LIKED_ROW), upsert(new LinkedHashMap<>(LIKED_ROW), 200));

        assertThat(step.delta()).isEmpty();
        assertThat(step.current().row().toMap()).isEqualTo(LIKED_ROW);
    }

    @Test
    void aPlaceholderResolvingToTheSameRowGivesNoDelta() {
        Step step = ChangelogNormalizer.apply(last(LIKED_ROW), upsert(with(LIKED_ROW, "comment_text", RowChange.UNAVAILABLE), 300));

        assertThat(step.delta()).isEmpty();
        assertThat(step.current().row().toMap()).isEqualTo(LIKED_ROW);
    }

    @Test
    void aDeleteHasThePreviousRowAsBeforeAndNothingAfter() {
        Step step = ChangelogNormalizer.apply(last(LIKED_ROW), delete(400));

        RowDelta delta = step.delta().orElseThrow();
        assertThat(delta.before().toMap()).isEqualTo(LIKED_ROW);
        assertThat(delta.after()).isNull();
        assertThat(delta.isDelete()).isTrue();
        assertThat(delta.correlationId()).isEqualTo("comments:c-1@400");
        assertThat(step.current()).as("the state of the key is cleared").isNull();
    }

    @Test
    void aDeleteOfAnUnknownKeyStillGivesADelta() {
        Step step = ChangelogNormalizer.apply(null, delete(400));

        RowDelta delta = step.delta().orElseThrow();
        assertThat(delta.before()).isNull();
        assertThat(delta.after()).isNull();
        assertThat(delta.isDelete()).isTrue();
        assertThat(step.current()).isNull();
    }

    /** A read of Debezium's incremental snapshot: op r, no LSN. */
    private static RowChange incrementalRead(Map<String, Object> row) {
        return RowChange.upsert(TABLE, KEY, Row.of(row), 0, 9_000L, true, ORIGIN);
    }

    @Test
    void onlyAReadWithoutAnLsnIsAnIncrementalSnapshotsRead() {
        assertThat(incrementalRead(FIRST_ROW).incrementalRead()).isTrue();
        assertThat(RowChange.upsert(TABLE, KEY, Row.of(FIRST_ROW), 77, 9_000L, true, ORIGIN).incrementalRead()).as("the initial snapshot's").isFalse();
        assertThat(upsert(FIRST_ROW, 100).incrementalRead()).isFalse();
        assertThat(delete(100).incrementalRead()).isFalse();
    }

    @Test
    void anIncrementalReadOfARowDeletedBeforeItCameIsDroppedAsStale() {
        Step step = ChangelogNormalizer.applyIncrementalRead(null, true, incrementalRead(FIRST_ROW));

        assertThat(step.delta()).isEmpty();
        assertThat(step.current()).isNull();
    }

    @Test
    void anIncrementalReadOfAKeyNeverSeenIsTheRow() {
        Step step = ChangelogNormalizer.applyIncrementalRead(null, false, incrementalRead(FIRST_ROW));

        assertThat(step.delta()).contains(new RowDelta(TABLE, KEY, null, Row.of(FIRST_ROW), 0, 9_000));
        assertThat(step.current().row().toMap()).isEqualTo(FIRST_ROW);
    }

    @Test
    void anIncrementalReadOlderThanTheStreamedRowChangesNothing() {
        LastRow streamed = last(LIKED_ROW);
        Step step = ChangelogNormalizer.applyIncrementalRead(streamed, false, incrementalRead(FIRST_ROW));

        assertThat(step.delta()).as("its likes are older than the streamed update's").isEmpty();
        assertThat(step.current()).isSameAs(streamed);
    }

    @Test
    void anIncrementalReadFillsInOnlyTheColumnsTheStreamedRowLacks() {
        Map<String, Object> withoutText = new LinkedHashMap<>(LIKED_ROW);
        withoutText.remove("comment_text"); // an unchanged TOASTed value, never seen whole
        Step step = ChangelogNormalizer.applyIncrementalRead(last(withoutText), false, incrementalRead(with(FIRST_ROW, "comment_text", "Whole text")));

        Map<String, Object> expected = with(withoutText, "comment_text", "Whole text");
        assertThat(step.delta().orElseThrow().after().toMap()).isEqualTo(expected).containsEntry("likes", 4L);
        assertThat(step.current().row().toMap()).isEqualTo(expected);
        assertThat(step.current().lsn()).as("still the streamed change's").isEqualTo(1);
    }

    @Test
    void anIncrementalReadAfterAnEarlierOneIsTheRow() {
        LastRow earlierRead = new LastRow(Row.of(FIRST_ROW), 0, RowChange.columnsHash(FIRST_ROW.keySet()));
        Step step = ChangelogNormalizer.applyIncrementalRead(earlierRead, false, incrementalRead(LIKED_ROW));

        assertThat(step.current().row().toMap()).isEqualTo(LIKED_ROW);
    }

    @Test
    void aTruncateIsNotNormalizedPerRow() {
        RowChange truncate = RowChange.truncate(TABLE, 500, 1_500, ORIGIN);

        assertThatThrownBy(() -> ChangelogNormalizer.apply(last(FIRST_ROW), truncate)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theKeyOfTheNormalizerIsTableAndKey() {
        assertThat(upsert(FIRST_ROW, 1).rowKey()).isEqualTo(new RowKey("comments", "c-1"));
    }
    @Test
    void aChangeOlderThanTheTablesLastTruncateIsGoneButAnUnknownLsnIsNeverTakenForOld() {
        assertThat(ChangelogNormalizer.predatesTruncate(400, 500L)).isTrue();
        assertThat(ChangelogNormalizer.predatesTruncate(600, 500L)).isFalse();
        assertThat(ChangelogNormalizer.predatesTruncate(400, null)).isFalse();
        assertThat(ChangelogNormalizer.predatesTruncate(0, 500L)).isFalse();
    }

    @Test
    void aTruncateDeletesAKeptRowChangedBeforeItWithTheTruncatesLsn() {
        RowChange truncate = RowChange.truncate(TABLE, 500, 1_500, ORIGIN);

        Row row = Row.of(FIRST_ROW);
        assertThat(ChangelogNormalizer.truncated(TABLE, KEY, new LastRow(row, 400, 0), truncate)).contains(new RowDelta(TABLE, KEY, row, null, 500, 1_500));
        assertThat(ChangelogNormalizer.truncated(TABLE, KEY, new LastRow(row, 600, 0), truncate)).as("inserted after the truncate").isEmpty();
        assertThat(ChangelogNormalizer.truncated(TABLE, KEY, null, truncate)).isEmpty();
    }

    @Test
    void aColumnTheKeptRowHasAndTheNewRowLacksWasDropped() {
        Map<String, Object> withoutLikes = new LinkedHashMap<>(FIRST_ROW);
        withoutLikes.remove("likes");

        assertThat(ChangelogNormalizer.droppedColumns(last(FIRST_ROW), upsert(withoutLikes, 20))).containsExactly("likes");
        assertThat(ChangelogNormalizer.droppedColumns(last(FIRST_ROW), upsert(with(FIRST_ROW, "pinned", true), 20))).as("an added column").isEmpty();
        assertThat(ChangelogNormalizer.droppedColumns(null, upsert(withoutLikes, 20))).as("a first row").isEmpty();
        assertThat(ChangelogNormalizer.droppedColumns(last(FIRST_ROW), delete(20))).as("a delete").isEmpty();
    }
}
