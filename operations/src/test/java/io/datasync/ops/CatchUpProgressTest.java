package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CatchUpProgressTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void aSlowRebuildThatKeepsMovingIsNeverGivenUp() {
        CatchUpProgress progress = new CatchUpProgress(Duration.ofMinutes(10), 0);
        // 40 minutes: documents come in bursts, then the backlog drains while documents stand still.
        for (int minute = 1; minute <= 40; minute++) {
            long documents = minute <= 25 ? minute * 20_000L : 500_000;
            long pending = minute <= 25 ? 300_000 : 300_000 - (minute - 25) * 20_000L;
            progress.observe(documents, pending, minute * MINUTE);
            assertThat(progress.stalled(minute * MINUTE)).as("minute %d", minute).isFalse();
        }
    }

    @Test
    void aRebuildThatNeitherWritesNorReadsIsStalledAfterTheStallTime() {
        CatchUpProgress progress = new CatchUpProgress(Duration.ofMinutes(10), 0);
        progress.observe(100_000, 250_000, MINUTE);
        for (int minute = 2; minute <= 11; minute++) {
            // The backlog grows with the stream and nothing is written: no progress.
            progress.observe(100_000, 250_000 + minute * 1_000L, minute * MINUTE);
        }
        assertThat(progress.stalled(11 * MINUTE)).isFalse();
        assertThat(progress.stalled(12 * MINUTE)).isTrue();
    }

    @Test
    void aBacklogNotReportedYetIsNotProgressButDocumentsAre() {
        CatchUpProgress progress = new CatchUpProgress(Duration.ofMinutes(10), 0);
        progress.observe(0, -1, MINUTE);
        progress.observe(0, -1, 5 * MINUTE);
        progress.observe(10, -1, 9 * MINUTE);

        assertThat(progress.stalled(18 * MINUTE)).isFalse();
        assertThat(progress.stalled(20 * MINUTE)).isTrue();
    }
}
