package io.datasync.job.normalize;

import io.datasync.job.decode.RowChange;
import io.datasync.job.types.Row;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Pure changelog logic: the previous row of a key plus a change give the before/after pair. */
public final class ChangelogNormalizer {
    private static final byte[] PLACEHOLDER = ("\"" + RowChange.UNAVAILABLE + "\"").getBytes(StandardCharsets.UTF_8);

    private ChangelogNormalizer() {}

    /** The result of one change: the delta to emit (if any) and what to keep for the key (null: nothing). */
    public record Step(Optional<RowDelta> delta, LastRow current, int unresolvedPlaceholders) {}

    public static Step apply(LastRow previous, RowChange change) {
        return switch (change.op()) {
            case UPSERT -> upsert(previous, change);
            case DELETE -> new Step(
                    Optional.of(new RowDelta(change.table(), change.key(), previous == null ? null : previous.row(), null, change.lsn(), change.commitMillis())),
                    null, 0);
            case TRUNCATE -> throw new IllegalArgumentException("a truncate has no key; it is not normalized per row");
        };
    }

    /**
     * A read by Debezium's incremental snapshot: the row as the chunk's SELECT saw it. Debezium drops
     * the read when a change of the row streams in while the chunk is open, but on PostgreSQL a
     * change committed just before the window opened can still be invisible to the SELECT (the WAL's
     * commit order is not the order in which commits become visible), and its stale read then comes
     * after the change on the topic (seen at seed size under load: a deleted comment came back, and
     * its user's count with it). A key's streamed changes are complete from the first one the job
     * saw, so such a read can only add what they lack:
     * <ul>
     *   <li>{@code gone}: the job saw the key deleted, or its table truncated and the key not since;
     *       the read is stale and dropped;
     *   <li>a row from the stream or the initial snapshot (LSN above 0): the read adds only the
     *       columns that row lacks (an unchanged TOASTed value never seen whole, a column added since);
     *   <li>otherwise (a key never seen, or last set by an earlier incremental read) the read is the row.
     * </ul>
     */
    public static Step applyIncrementalRead(LastRow previous, boolean gone, RowChange read) {
        if (gone) {
            return new Step(Optional.empty(), previous, 0);
        }
        if (previous == null || previous.lsn() == 0) {
            return upsert(previous, read);
        }
        Map<String, Object> values = previous.row().toMap();
        boolean added = false;
        for (Map.Entry<String, Object> column : read.row().toMap().entrySet()) {
            if (!values.containsKey(column.getKey()) && !RowChange.UNAVAILABLE.equals(column.getValue())) {
                values.put(column.getKey(), column.getValue());
                added = true;
            }
        }
        if (!added) {
            return new Step(Optional.empty(), previous, 0);
        }
        Row after = Row.of(values);
        RowDelta delta = new RowDelta(read.table(), read.key(), previous.row(), after, previous.lsn(), read.commitMillis());
        return new Step(Optional.of(delta), new LastRow(after, previous.lsn(), RowChange.columnsHash(after.columns())), 0);
    }

    /**
     * Whether a change was made before the last truncate of its table, so its row is gone. The topics'
     * partitions are read in no global order, so such a change can arrive after the truncate; the
     * LSN tells (PostgreSQL's TRUNCATE takes an exclusive lock, so every change to the table is on
     * one side of it). An unknown LSN (0) is never taken for an old one.
     */
    public static boolean predatesTruncate(long lsn, Long truncatedAt) {
        return truncatedAt != null && lsn > 0 && lsn < truncatedAt;
    }

    /** The delete a truncate makes of a kept row; none for a row changed after it. */
    public static Optional<RowDelta> truncated(String table, String key, LastRow last, RowChange truncate) {
        if (last == null || last.lsn() > truncate.lsn()) {
            return Optional.empty();
        }
        return Optional.of(new RowDelta(table, key, last.row(), null, truncate.lsn(), truncate.commitMillis()));
    }

    /**
     * Columns the kept row has and a whole new row of the key lacks: Debezium sends every column
     * of a row, so a column missing from a later change was dropped from the table (or the event
     * was not written by Debezium). Empty for a first row or a delete; the names are read only when
     * the column hashes differ.
     */
    public static Set<String> droppedColumns(LastRow previous, RowChange change) {
        if (previous == null || change.op() != RowChange.Op.UPSERT || previous.columnsHash() == change.columnsHash()) {
            return Set.of();
        }
        Set<String> dropped = new TreeSet<>(previous.row().columns());
        change.row().columns().forEach(dropped::remove);
        return Collections.unmodifiableSet(dropped);
    }

    private static Step upsert(LastRow previous, RowChange change) {
        Row after = change.row();
        int unresolved = 0;
        if (contains(after.json(), PLACEHOLDER)) {
            // An unchanged TOASTed value: the WAL does not carry it, the last row seen does.
            Map<String, Object> previousValues = previous == null ? Map.of() : previous.row().toMap();
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map.Entry<String, Object> column : after.toMap().entrySet()) {
                if (!RowChange.UNAVAILABLE.equals(column.getValue())) {
                    values.put(column.getKey(), column.getValue());
                } else if (previousValues.containsKey(column.getKey())) {
                    values.put(column.getKey(), previousValues.get(column.getKey()));
                } else {
                    unresolved++;
                }
            }
            after = Row.of(values);
        }
        if (previous != null && after.equals(previous.row())) {
            // A replayed or no-op change: nothing downstream would differ.
            return new Step(Optional.empty(), new LastRow(previous.row(), change.lsn(), previous.columnsHash()), unresolved);
        }
        RowDelta delta = new RowDelta(change.table(), change.key(), previous == null ? null : previous.row(), after, change.lsn(), change.commitMillis());
        return new Step(Optional.of(delta), new LastRow(after, change.lsn(), change.columnsHash()), unresolved);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
