package io.datasync.ops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a new index has caught up with its table while rows keep coming: it holds at least 99%
 * of the table's rows, or at least as many documents as the table had rows {@code lag} ago (the
 * rebuild is at most that far behind). A fixed share alone depends on the table's size: a table
 * emptied by a truncate and refilled at 40 rows a second stays more than 1% ahead of any rebuild
 * a second behind until it holds a few thousand rows. Documents held back until the snapshot is
 * read stay far below every earlier count, so they are not taken for caught up.
 */
final class RowsBehind {
    private final long lagNanos;
    /** Readings of the table's rows: {nanos, rows}, oldest first, none older than needed. */
    private final Deque<long[]> readings = new ArrayDeque<>();

    RowsBehind(Duration lag) {
        this.lagNanos = lag.toNanos();
    }

    /** Records the table's rows read at {@code nowNanos}; true if {@code documents} has caught up with them. */
    boolean caughtUp(long documents, long rows, long nowNanos) {
        readings.addLast(new long[] {nowNanos, rows});
        // Keep the newest reading that is at least lag old, and everything after it.
        while (readings.size() > 1 && nowNanos - secondOldest()[0] >= lagNanos) {
            readings.removeFirst();
        }
        long[] oldest = readings.peekFirst();
        boolean lagOld = nowNanos - oldest[0] >= lagNanos;
        return LoadProgress.nearlyFull(documents, rows) || lagOld && documents >= oldest[1];
    }

    private long[] secondOldest() {
        var it = readings.iterator();
        it.next();
        return it.next();
    }
}
