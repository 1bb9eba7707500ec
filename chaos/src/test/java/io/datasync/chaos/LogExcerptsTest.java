package io.datasync.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogExcerptsTest {
    private static final Instant FROM = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-25T10:05:00Z");

    @Test
    void keepsWarningsErrorsAndMilestonesInTheWindowOncePerMessageInTimeOrder() {
        List<String> lines = List.of(
                flink("10:01:00", "WARN", "Connection to node 1 could not be established"),
                flink("10:00:30", "INFO", "Job data-sync-opensearch (abc) switched from state RUNNING to RESTARTING."),
                flink("10:01:05", "WARN", "Connection to node 2 could not be established"),
                flink("10:01:10", "INFO", "Completed checkpoint 17 for job abc"),
                flink("10:01:11", "WARN", "The plugins directory [plugins] does not exist."),
                flink("09:59:59", "ERROR", "before the fault"),
                flink("10:06:00", "ERROR", "after the recovery"),
                "{\"@timestamp\": \"2026-11-25T10:02:0", // cut by kill -9
                "{\"type\": \"server\", \"timestamp\": \"2026-11-25T10:02:00,123Z\", \"level\": \"WARN\", \"cluster.name\": \"data-sync\","
                        + " \"message\": \"disk watermark\"}");

        assertThat(LogExcerpts.select(lines, FROM, TO, 10)).containsExactly(
                "2026-11-25T10:00:30Z jobmanager INFO Job data-sync-opensearch (abc) switched from state RUNNING to RESTARTING.",
                "2026-11-25T10:01:00Z jobmanager WARN Connection to node 1 could not be established",
                "2026-11-25T10:02:00.123Z opensearch WARN disk watermark");
    }

    @Test
    void stopsAtTheLimit() {
        List<String> lines = List.of(flink("10:01:00", "ERROR", "one"), flink("10:01:01", "ERROR", "two"), flink("10:01:02", "ERROR", "three"));

        assertThat(LogExcerpts.select(lines, FROM, TO, 2)).hasSize(2);
    }

    private static String flink(String time, String level, String message) {
        return "{\"@timestamp\":\"2026-11-25T" + time + ".000Z\",\"log.level\":\"" + level + "\",\"message\":\"" + message
                + "\",\"service.name\":\"jobmanager\"}";
    }
}
