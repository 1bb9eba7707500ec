package io.datasync.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosReportTest {
    @Test
    void aFaultPassesOnlyWithNothingLostDuplicatedResurrectedOrStaleAndARecovery() {
        assertThat(result(0, 0, 0, 0, 12.5).passed()).isTrue();
        assertThat(result(1, 0, 0, 0, 12.5).passed()).isFalse();
        assertThat(result(0, 1, 0, 0, 12.5).passed()).isFalse();
        assertThat(result(0, 0, 1, 0, 12.5).passed()).isFalse();
        assertThat(result(0, 0, 0, 1, 12.5).passed()).isFalse();
        assertThat(result(0, 0, 0, 0, -1).passed()).isFalse();
    }

    @Test
    void theTableHasOneRowPerFaultAndTheLogsFollow() {
        String markdown = ChaosReport.markdown(List.of(result(0, 0, 0, 0, 12.5), result(0, 0, 2, 0, -1), notRestarted()), "Setup line.");

        assertThat(markdown).contains("| kill -9 the Kafka broker; restart it | 18,000 | 895,000 | 0 | 0 | 0 | 0 | 3.2 s | 21.4 s | 22.0 s | 12.5 s | 61 s | PASS |")
                .contains("| kill -9 the Kafka broker; restart it | 18,000 | 895,000 | 0 | 0 | 2 | 0 | 3.2 s | 21.4 s | 22.0 s | not recovered | 61 s | FAIL |")
                .contains("**At least one fault failed.**")
                .contains("| kill -9 the Kafka broker; restart it | 18,000 | 895,000 | 0 | 0 | 0 | 0 | 3.2 s | — | — | 12.5 s | 61 s | PASS |")
                .contains("```\n2026-11-25T10:00:30Z jobmanager WARN something\n```");
    }

    /** A fault that does not restart the job: no restore, no restored job's first write. */
    private static FaultResult notRestarted() {
        return new FaultResult("kafka", "kill -9 the Kafka broker; restart it", 18_100, 18_000, 895_000, 0, 0, 0, 0, 3.2, -1, -1, 12.5, 61.0,
                List.of("a note"), List.of());
    }

    private static FaultResult result(long lost, long duplicated, long resurrected, long stale, double recovery) {
        return new FaultResult("kafka", "kill -9 the Kafka broker; restart it", 18_100, 18_000, 895_000, lost, duplicated, resurrected, stale, 3.2,
                21.4, 22.0, recovery, 61.0, List.of("a note"), List.of("2026-11-25T10:00:30Z jobmanager WARN something"));
    }
}
