package io.datasync.job.normalize;

import io.datasync.job.decode.RowChange;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Pure changelog logic: the previous row of a key plus a change give the before/after pair. */
public final class ChangelogNormalizer {
    private ChangelogNormalizer() {}

    /** The result of one change: the delta to emit (if any) and the row to keep for the key. */
    public record Step(Optional<RowDelta> delta, Map<String, Object> current, int unresolvedPlaceholders) {}

    public static Step apply(Map<String, Object> previous, RowChange change) {
        return switch (change.op()) {
            case UPSERT -> upsert(previous, change);
            case DELETE -> new Step(
                    Optional.of(new RowDelta(change.table(), change.key(), previous, null, change.lsn(), change.commitMillis(), change.correlationId())),
                    null, 0);
            case TRUNCATE -> throw new IllegalArgumentException("a truncate has no key; it is not normalized per row");
        };
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

    /** The delete a truncate makes of a kept row last changed at {@code rowLsn}; none for a row changed after it. */
    public static Optional<RowDelta> truncated(String table, String key, Map<String, Object> row, long rowLsn, RowChange truncate) {
        if (row == null || rowLsn > truncate.lsn()) {
            return Optional.empty();
        }
        return Optional.of(new RowDelta(table, key, row, null, truncate.lsn(), truncate.commitMillis(),
                table + ":" + key + "@" + truncate.lsn()));
    }

    /**
     * Columns the kept row has and a whole new row of the key lacks: Debezium sends every column
     * of a row, so a column missing from a later change was dropped from the table (or the event
     * was not written by Debezium). Empty for a first row or a delete.
     */
    public static java.util.Set<String> droppedColumns(Map<String, Object> previous, RowChange change) {
        if (previous == null || change.op() != RowChange.Op.UPSERT) {
            return java.util.Set.of();
        }
        java.util.Set<String> dropped = new java.util.TreeSet<>(previous.keySet());
        dropped.removeAll(change.row().keySet());
        return java.util.Collections.unmodifiableSet(dropped);
    }

    private static Step upsert(Map<String, Object> previous, RowChange change) {
        Map<String, Object> after = new LinkedHashMap<>(change.row().size());
        int unresolved = 0;
        for (Map.Entry<String, Object> column : change.row().entrySet()) {
            if (RowChange.UNAVAILABLE.equals(column.getValue())) {
                // An unchanged TOASTed value: the WAL does not carry it, the last row seen does.
                if (previous != null && previous.containsKey(column.getKey())) {
                    after.put(column.getKey(), previous.get(column.getKey()));
                } else {
                    unresolved++;
                }
            } else {
                after.put(column.getKey(), column.getValue());
            }
        }
        if (after.equals(previous)) {
            // A replayed or no-op change: nothing downstream would differ.
            return new Step(Optional.empty(), previous, unresolved);
        }
        return new Step(
                Optional.of(new RowDelta(change.table(), change.key(), previous, after, change.lsn(), change.commitMillis(), change.correlationId())),
                after, unresolved);
    }
}
