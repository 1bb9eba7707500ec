package io.datasync.job.decode;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Lets the job hold back documents built from Debezium's initial snapshot until the whole snapshot
 * has been read, so that a document whose parts and aggregates arrive all through the snapshot (a
 * user and the comment count of its comments) is written once, not once per arriving fact.
 *
 * <p>Flink's watermark carries the signal. Every change is stamped with its phase,
 * {@link #SNAPSHOT} or {@link #STREAMING}. Each decoding subtask keeps its watermark below
 * {@link #SNAPSHOT_READ} while snapshot records keep coming, and raises it once none has come for
 * a quiet period: its partitions have been read past the snapshot, are idle, or it has none.
 * Downstream operators see the minimum over all subtasks, so an event-time timer at
 * {@link #SNAPSHOT_READ} fires once every subtask has read its share of the snapshot.
 *
 * <p>The quiet period is a heuristic for timing only: a stall longer than it releases documents
 * early, which costs extra writes, never correctness. It is measured on the source's input activity
 * clock, which Flink pauses while the source is back-pressured, so waiting for downstream operators
 * does not count as quiet; nor does the time before a subtask's first record (a new job's first
 * fetch can take longer than the quiet period on a busy machine), for up to
 * {@link #AWAIT_FIRST_RECORD_MILLIS}.
 */
public final class SnapshotPhase {
    /** The timestamp of a change read by Debezium's snapshot (op {@code r}). */
    public static final long SNAPSHOT = 0;
    /** The timestamp of a change streamed from the WAL. */
    public static final long STREAMING = 1;
    /** The watermark once the snapshot has been read: timers at this time fire then. */
    public static final long SNAPSHOT_READ = SNAPSHOT;

    private SnapshotPhase() {}

    public static WatermarkStrategy<RowChange> watermarks(Duration quiet) {
        return watermarks(quiet, false);
    }

    /**
     * {@code awaitSnapshot}: the snapshot is still to come (a rebuild starts at the topics' end and
     * then asks for an incremental snapshot), so quiet before its first record does not count, for
     * up to {@link #AWAIT_SNAPSHOT_MILLIS} (a subtask that reads no partition must not hold back the
     * others' release for ever; the minimum over the subtasks still waits for the busy ones).
     */
    public static WatermarkStrategy<RowChange> watermarks(Duration quiet, boolean awaitSnapshot) {
        long quietMillis = quiet.toMillis();
        // The input activity clock stands still while the source is back-pressured: a source that cannot emit
        // (operators behind it still restoring their state after a failover) is not quiet. With the wall clock,
        // a TaskManager killed mid-snapshot released every held document early and the snapshot was then
        // written ~2.3 times per document (issue 13).
        return WatermarkStrategy.<RowChange>forGenerator(context -> new Generator(quietMillis, context.getInputActivityClock()::relativeTimeMillis, awaitSnapshot))
                .withTimestampAssigner((change, kafkaTimestamp) -> change.snapshot() ? SNAPSHOT : STREAMING);
    }

    /** Whether a fact with this timestamp waits for the end of the snapshot, given the current watermark. */
    public static boolean holds(Long timestamp, long currentWatermark) {
        return timestamp != null && timestamp == SNAPSHOT && currentWatermark < SNAPSHOT_READ;
    }

    /**
     * Periodic emits (every 200 ms by default) that must pass without a snapshot record, besides the
     * quiet time: a long GC pause stops the clock-driven emits too, so it passes the time but not
     * the count, and does not release the documents early.
     */
    static final int QUIET_EMITS = 10;

    /** How long a rebuild's decoding subtask waits for the first record of the snapshot it was started for. */
    static final long AWAIT_SNAPSHOT_MILLIS = 120_000;

    /**
     * How long any other decoding subtask waits for its first record before quiet counts. A job started
     * beside Debezium's snapshot (make up, the benchmark's end-to-end load) once wrote its first documents 7 s
     * after it ran, the snapshot still being written, and wrote the snapshot 2.4 times: its first fetch had
     * come after the quiet period. A subtask whose partitions are all empty releases after this wait.
     */
    static final long AWAIT_FIRST_RECORD_MILLIS = 30_000;

    /** One per decoding subtask: raises the watermark once no snapshot record has come for {@code quietMillis}. */
    static final class Generator implements WatermarkGenerator<RowChange> {
        private final long quietMillis;
        private final LongSupplier clock;
        private long lastSnapshotRecordAt;
        private int quietEmits;
        private boolean read;
        private final boolean awaitSnapshot;
        /** Before this (activity clock), quiet does not count: the first record (of the snapshot, for a rebuild) has yet to come. */
        private long awaitUntil;

        Generator(long quietMillis, LongSupplier clock) {
            this(quietMillis, clock, false);
        }

        Generator(long quietMillis, LongSupplier clock, boolean awaitSnapshot) {
            this.quietMillis = quietMillis;
            this.clock = clock;
            this.lastSnapshotRecordAt = clock.getAsLong();
            this.awaitSnapshot = awaitSnapshot;
            this.awaitUntil = lastSnapshotRecordAt + (awaitSnapshot ? AWAIT_SNAPSHOT_MILLIS : AWAIT_FIRST_RECORD_MILLIS);
        }

        @Override
        public void onEvent(RowChange change, long timestamp, WatermarkOutput output) {
            if (change.snapshot()) {
                lastSnapshotRecordAt = clock.getAsLong();
                quietEmits = 0;
                awaitUntil = Long.MIN_VALUE;
            } else if (!awaitSnapshot) {
                awaitUntil = Long.MIN_VALUE; // streaming first: these partitions hold no snapshot (or not any more)
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            quietEmits++;
            long now = clock.getAsLong();
            if (!read && now >= awaitUntil && quietEmits >= QUIET_EMITS && now - lastSnapshotRecordAt >= quietMillis) {
                read = true;
            }
            if (read) {
                output.emitWatermark(new Watermark(SNAPSHOT_READ));
            }
        }
    }
}
