package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RowsBehindTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void aSmallTableRefilledAfterATruncateIsCaughtUpOnceTheIndexHoldsWhatItHadTenSecondsAgo() {
        RowsBehind comments = new RowsBehind(Duration.ofSeconds(10));
        // 40 rows a second into an emptied table; the rebuild writes them two seconds later.
        boolean caughtUp = false;
        for (int second = 0; second <= 12; second++) {
            long rows = 500 + 40L * second;
            long documents = rows - 80;
            caughtUp = comments.caughtUp(documents, rows, second * SECOND);
            if (second < 10) {
                assertThat(caughtUp).as("second %d: no reading ten seconds old yet, and %d of %d is under 99%%", second, documents, rows).isFalse();
            }
        }
        assertThat(caughtUp).as("the index holds more than the table had ten seconds ago").isTrue();
    }

    @Test
    void documentsHeldUntilTheSnapshotIsReadAreNotCaughtUpHoweverLongItTakes() {
        RowsBehind videos = new RowsBehind(Duration.ofSeconds(10));
        for (int second = 0; second <= 120; second++) {
            assertThat(videos.caughtUp(116, 523, second * SECOND)).as("second %d", second).isFalse();
        }
        assertThat(videos.caughtUp(523, 523, 121 * SECOND)).isTrue();
    }

    @Test
    void ninetyNinePercentIsEnoughAtOnce() {
        assertThat(new RowsBehind(Duration.ofSeconds(10)).caughtUp(990, 1_000, 0)).isTrue();
    }

    @Test
    void aRebuildFallingBehindAGrowingTableIsNotCaughtUpOnceMoreThanTenSecondsBehind() {
        RowsBehind comments = new RowsBehind(Duration.ofSeconds(10));
        for (int second = 0; second <= 60; second++) {
            // 40 rows a second from 1,000; the rebuild writes 20: at second t it holds what the table had at t/2.
            long documents = 1_000 + 20L * second;
            long rows = 1_000 + 40L * second;
            assertThat(comments.caughtUp(documents, rows, second * SECOND)).as("second %d", second)
                    .isEqualTo(second == 0 || second >= 10 && second <= 20);
        }
    }
}
