package io.datasync.job.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import io.datasync.job.types.Row;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

class SnapshotPhaseTest {
    private static final long QUIET = 3_000;
    private final AtomicLong clock = new AtomicLong(10_000);
    private final List<Long> watermarks = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    };
    private final SnapshotPhase.Generator generator = new SnapshotPhase.Generator(QUIET, clock::get);

    private static RowChange change(boolean snapshot) {
        return RowChange.upsert("users", "u1", Row.of(Map.of("channel_id", "u1")), 7, 1, snapshot,
                new RowChange.Origin("dbserver.public.users", 0, 0));
    }

    @Test
    void theWatermarkStaysBelowSnapshotReadWhileSnapshotRecordsKeepComing() {
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(QUIET - 1);
            generator.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
            generator.onPeriodicEmit(output);
        }
        assertThat(watermarks).isEmpty();
    }

    /** Periodic emits every {@code stepMillis}, as Flink calls them. */
    private void emits(int count, long stepMillis) {
        for (int i = 0; i < count; i++) {
            clock.addAndGet(stepMillis);
            generator.onPeriodicEmit(output);
        }
    }

    /**
     * Flink's input activity clock of a source split stands still while the source is back-pressured, e.g. while the
     * operators behind it restore their state after a failover: however long that lasts, it is not quiet.
     */
    @Test
    void timeTheSourceSpendsBackPressuredIsNotQuiet() throws Exception {
        AtomicLong activity = new AtomicLong(5_000);
        WatermarkGenerator<RowChange> fromStrategy = SnapshotPhase.watermarks(java.time.Duration.ofMillis(QUIET))
                .createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return new UnregisteredMetricsGroup();
                    }

                    @Override
                    public RelativeClock getInputActivityClock() {
                        return new RelativeClock() {
                            @Override
                            public long relativeTimeMillis() {
                                return activity.get();
                            }

                            @Override
                            public long relativeTimeNanos() {
                                return activity.get() * 1_000_000;
                            }
                        };
                    }
                });
        fromStrategy.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
        // Back-pressured: Flink keeps calling the periodic emit (every 200 ms) for a minute, the activity clock stands still.
        for (int i = 0; i < 300; i++) {
            fromStrategy.onPeriodicEmit(output);
        }
        assertThat(watermarks).as("no quiet while back-pressured").isEmpty();

        // The source can emit again and nothing of the snapshot comes: quiet.
        for (int i = 0; i < SnapshotPhase.QUIET_EMITS; i++) {
            activity.addAndGet(QUIET / SnapshotPhase.QUIET_EMITS + 1);
            fromStrategy.onPeriodicEmit(output);
        }
        assertThat(watermarks).containsOnly(SnapshotPhase.SNAPSHOT_READ);
    }

    @Test
    void aQuietPeriodWithoutSnapshotRecordsMeansTheSnapshotHasBeenRead() {
        generator.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
        emits(SnapshotPhase.QUIET_EMITS, 100);
        generator.onEvent(change(false), SnapshotPhase.STREAMING, output);
        assertThat(watermarks).as("quiet for fewer than %d ms", QUIET).isEmpty();

        emits(1, QUIET);
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ);
    }

    @Test
    void aLongPauseWithoutPeriodicEmitsDoesNotCountAsQuiet() {
        generator.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
        emits(2, 2 * QUIET); // e.g. a full GC: the time passes, the emits do not happen
        assertThat(watermarks).isEmpty();

        emits(SnapshotPhase.QUIET_EMITS - 2, 200);
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ);
    }

    /** A new job once wrote the snapshot as streaming 7 s after it ran, its first fetch later than the quiet period: waiting for it is not the snapshot's end. */
    @Test
    void theTimeBeforeTheFirstRecordIsNotQuiet() {
        emits(10 * SnapshotPhase.QUIET_EMITS, 200); // 20 s of periodic emits, nothing fetched yet
        assertThat(watermarks).isEmpty();

        for (int i = 0; i < 100; i++) {
            generator.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
            emits(1, 200);
        }
        assertThat(watermarks).as("the snapshot is still being read").isEmpty();

        emits(SnapshotPhase.QUIET_EMITS, QUIET / SnapshotPhase.QUIET_EMITS);
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ);
    }

    @Test
    void aSubtaskWithoutRecordsReleasesAfterTheFirstRecordWaitAndNeverGoesBack() {
        emits((int) (SnapshotPhase.AWAIT_FIRST_RECORD_MILLIS / 200) - 1, 200);
        assertThat(watermarks).isEmpty();

        emits(1, 200);
        generator.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
        emits(1, 200);
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ, SnapshotPhase.SNAPSHOT_READ);
    }

    /** Partitions whose first record is a streamed change hold no snapshot (a late start, or no rows of that table there). */
    @Test
    void aStreamedFirstRecordEndsTheWait() {
        emits(SnapshotPhase.QUIET_EMITS, QUIET / SnapshotPhase.QUIET_EMITS);
        assertThat(watermarks).isEmpty();

        generator.onEvent(change(false), SnapshotPhase.STREAMING, output);
        emits(1, 200);
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ);
    }

    @Test
    void aRebuildWaitsForItsSnapshotToBeginThenForItsEnd() {
        SnapshotPhase.Generator rebuild = new SnapshotPhase.Generator(QUIET, clock::get, true);
        for (int i = 0; i < 50; i++) { // streaming only, 50 s before Debezium's incremental snapshot begins
            clock.addAndGet(1_000);
            rebuild.onEvent(change(false), SnapshotPhase.STREAMING, output);
            rebuild.onPeriodicEmit(output);
        }
        assertThat(watermarks).isEmpty();

        rebuild.onEvent(change(true), SnapshotPhase.SNAPSHOT, output);
        for (int i = 0; i < SnapshotPhase.QUIET_EMITS; i++) {
            clock.addAndGet(QUIET / SnapshotPhase.QUIET_EMITS);
            rebuild.onPeriodicEmit(output);
        }
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ);
    }

    @Test
    void aRebuildSubtaskThatNeverSeesTheSnapshotReleasesAfterTheWaitWithoutHoldingTheOthers() {
        SnapshotPhase.Generator idle = new SnapshotPhase.Generator(QUIET, clock::get, true);
        for (long waited = 0; waited < SnapshotPhase.AWAIT_SNAPSHOT_MILLIS - 1_000; waited += 1_000) {
            clock.addAndGet(1_000);
            idle.onPeriodicEmit(output);
        }
        assertThat(watermarks).isEmpty();

        clock.addAndGet(1_000);
        idle.onPeriodicEmit(output);
        assertThat(watermarks).containsExactly(SnapshotPhase.SNAPSHOT_READ);
    }

    @Test
    void onlySnapshotFactsAreHeldAndOnlyBeforeTheSnapshotWasRead() {
        assertThat(SnapshotPhase.holds(SnapshotPhase.SNAPSHOT, Long.MIN_VALUE)).isTrue();
        assertThat(SnapshotPhase.holds(SnapshotPhase.SNAPSHOT, SnapshotPhase.SNAPSHOT_READ)).isFalse();
        assertThat(SnapshotPhase.holds(SnapshotPhase.STREAMING, Long.MIN_VALUE)).isFalse();
        assertThat(SnapshotPhase.holds(null, Long.MIN_VALUE)).isFalse();
    }
}
