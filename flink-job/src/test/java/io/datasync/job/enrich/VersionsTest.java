package io.datasync.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionsTest {
    private static final long MAX_COUNTER = (1L << 32) - 1;
    private static final long ORIGIN_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

    private static long millisAfterOrigin(long seconds) {
        return ORIGIN_MILLIS + seconds * 1_000L;
    }

    @Test
    void theOriginIsTheStartOf2025() {
        assertThat(Versions.EPOCH_ORIGIN_SECONDS * 1_000L).isEqualTo(ORIGIN_MILLIS);
    }

    @Test
    void theEpochIsTheHighHalfAndTheCounterTheLowHalf() {
        long version = Versions.version(3, 7);

        assertThat(version).isEqualTo(3L * (1L << 32) + 7);
        assertThat(version >>> 32).isEqualTo(3);
        assertThat(version & 0xFFFF_FFFFL).isEqualTo(7);
    }

    @Test
    void theFirstVersionOfTheFirstEpoch() {
        assertThat(Versions.version(1, 1)).isEqualTo(4_294_967_297L);
    }

    @Test
    void theLargestCounterStaysInItsEpoch() {
        assertThat(Versions.version(1, MAX_COUNTER)).isEqualTo((1L << 33) - 1);
    }

    @Test
    void anyVersionOfALaterEpochIsAboveEveryVersionOfAnEarlierOne() {
        assertThat(Versions.version(5, 1)).isGreaterThan(Versions.version(4, MAX_COUNTER));
    }

    @Test
    void versionsGrowWithTheCounter() {
        assertThat(Versions.version(2, 2)).isGreaterThan(Versions.version(2, 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 1L << 32, Long.MAX_VALUE})
    void aCounterOutOfRangeIsRefused(long counter) {
        assertThatThrownBy(() -> Versions.version(1, counter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range: " + counter);
    }

    @Test
    void aFirstStartTakesTheSecondsSinceTheOrigin() {
        assertThat(Versions.nextEpoch(0, 0, millisAfterOrigin(86_400))).isEqualTo(86_400);
    }

    @Test
    void theEpochIsAtLeastOneEvenWithAClockBeforeTheOrigin() {
        assertThat(Versions.nextEpoch(0, 0, 0)).isEqualTo(1);
        assertThat(Versions.nextEpoch(0, 0, ORIGIN_MILLIS)).isEqualTo(1);
        assertThat(Versions.nextEpoch(0, 0, ORIGIN_MILLIS - 60_000)).isEqualTo(1);
    }

    @Test
    void aRestoreGoesAboveTheRestoredEpochWhenTheClockIsBehind() {
        long restored = 1_000_000;

        assertThat(Versions.nextEpoch(restored, 0, millisAfterOrigin(10))).isEqualTo(restored + 1);
    }

    @Test
    void aRestoreTakesTheClockWhenItIsAhead() {
        assertThat(Versions.nextEpoch(100, 0, millisAfterOrigin(5_000))).isEqualTo(5_000);
    }

    @Test
    void aRestoreWithinTheSameSecondStillMovesUp() {
        long now = millisAfterOrigin(5_000);
        long first = Versions.nextEpoch(0, 0, now);

        assertThat(Versions.nextEpoch(first, 0, now)).isEqualTo(first + 1);
    }

    @Test
    void theEpochIsAlwaysAboveTheRestoredOneAndAtLeastOne() {
        long[] restoredEpochs = {0, 1, 2, 999, 86_400, 1L << 20, (1L << 31) - 2};
        long[] clocks = {0, ORIGIN_MILLIS - 1, ORIGIN_MILLIS, millisAfterOrigin(1), millisAfterOrigin(86_400), millisAfterOrigin(1L << 30)};
        for (long restored : restoredEpochs) {
            for (long now : clocks) {
                long epoch = Versions.nextEpoch(restored, 0, now);
                assertThat(epoch).as("restored %d at %d", restored, now).isGreaterThan(restored).isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void theEpochIsMonotonicInTime() {
        long previous = 0;
        for (long seconds = -10; seconds <= 100_000; seconds += 997) {
            long epoch = Versions.nextEpoch(0, 0, millisAfterOrigin(seconds));
            assertThat(epoch).as("at %d s after the origin", seconds).isGreaterThanOrEqualTo(previous);
            previous = epoch;
        }
    }

    @Test
    void aStartWithoutStateGoesAboveTheEpochRecordedInTheIndexesWhenItsClockIsBehind() {
        long recordedByAWriterAnHourAhead = 10_000 + 3_600;
        long epoch = Versions.nextEpoch(0, recordedByAWriterAnHourAhead, millisAfterOrigin(10_000));

        assertThat(epoch).isEqualTo(recordedByAWriterAnHourAhead + 1);
        assertThat(Versions.version(epoch, 1)).isGreaterThan(Versions.version(recordedByAWriterAnHourAhead, MAX_COUNTER));
    }

    @Test
    void aRecordedEpochBelowTheClockOrTheRestoredOneChangesNothing() {
        assertThat(Versions.nextEpoch(0, 50, millisAfterOrigin(10_000))).isEqualTo(10_000);
        assertThat(Versions.nextEpoch(20_000, 50, millisAfterOrigin(10_000))).isEqualTo(20_001);
    }

    @Test
    void successiveRestartsGiveIncreasingVersions() {
        long now = millisAfterOrigin(1_000);
        long epoch1 = Versions.nextEpoch(0, 0, now);
        long epoch2 = Versions.nextEpoch(epoch1, 0, now + 500);

        assertThat(Versions.version(epoch2, 1)).isGreaterThan(Versions.version(epoch1, MAX_COUNTER));
    }
}
