package io.datasync.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.sink.OpenSearchSettings;
import io.datasync.job.spec.SyncSpecParser;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class CheckpointSettingsTest {
    @Test
    void barriersOvertakeBufferedRecordsAfterTwoSecondsByDefault() throws Exception {
        CheckpointConfig checkpoints = configured(new Configuration());

        assertThat(checkpoints.isUnalignedCheckpointsEnabled()).isTrue();
        assertThat(checkpoints.getAlignedCheckpointTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(checkpoints.getCheckpointInterval()).isEqualTo(60_000);
    }

    @Test
    void timersFiredOnOneWatermarkLetACheckpointInBetweenByDefault() throws Exception {
        assertThat(configured(new Configuration()).isUnalignedCheckpointsInterruptibleTimersEnabled()).isTrue();
    }

    @Test
    void settingsGivenToFlinkRunWin() throws Exception {
        Configuration given = new Configuration();
        given.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
        given.set(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT, Duration.ofSeconds(30));
        given.set(CheckpointingOptions.ENABLE_UNALIGNED_INTERRUPTIBLE_TIMERS, false);

        CheckpointConfig checkpoints = configured(given);

        assertThat(checkpoints.isUnalignedCheckpointsEnabled()).isFalse();
        assertThat(checkpoints.getAlignedCheckpointTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(checkpoints.isUnalignedCheckpointsInterruptibleTimersEnabled()).isFalse();
    }

    private static CheckpointConfig configured(Configuration given) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(given);
        new SyncJob(SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC), JobOptions.parse("--spec", SyncSpecParser.DEFAULT_SPEC),
                OpenSearchSettings.from("http://127.0.0.1:9200", Map.of())).configure(env);
        return env.getCheckpointConfig();
    }
}
