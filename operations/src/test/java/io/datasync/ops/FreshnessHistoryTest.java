package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshnessHistoryTest {
    @Test
    void keepsTheLastHourInOrderAndNothingTwiceForOneReading() {
        FreshnessHistory history = new FreshnessHistory(Duration.ofHours(1));
        history.add(at(0, 900.0));
        history.add(at(1_800_000, null));
        history.add(at(1_800_000, 5.0));
        history.add(at(3_700_000, 1_200.0));

        assertThat(history.points()).containsExactly(new FreshnessHistory.Point(1_800_000, null), new FreshnessHistory.Point(3_700_000, 1_200.0));
    }

    private static PipelineSnapshot at(long millis, Double commitToWritten) {
        PipelineSnapshot.Figures figures = new PipelineSnapshot.Figures(null, null, null, null, commitToWritten, null);
        PipelineSnapshot.Job job = new PipelineSnapshot.Job("abc", "RUNNING", 4, 4, 0, null, figures, null);
        return new PipelineSnapshot(millis, Map.of(), null, null, null, null, new PipelineSnapshot.Flink("f", 1, 1, 0, 2, job, null));
    }
}
