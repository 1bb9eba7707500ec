package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorStatusTest {
    @Test
    void runningNeedsTheConnectorAndEveryTaskRunning() {
        assertThat(status("RUNNING", task("RUNNING")).running()).isTrue();
        assertThat(status("RUNNING").running()).isFalse();
        assertThat(status("RUNNING", task("FAILED")).running()).isFalse();
        assertThat(status("RUNNING", task("FAILED")).failed()).isTrue();
    }

    @Test
    void describesAFailedTaskByTheFirstLineOfItsTrace() {
        ConnectorStatus status = new ConnectorStatus("c", "RUNNING", "w",
                List.of(new ConnectorStatus.Task(0, "FAILED", "org.apache.kafka.connect.errors.ConnectException: boom\n\tat x.y(Z.java:1)")));

        assertThat(CdcCli.Status.describe(status)).isEqualTo(
                "connector c: RUNNING on w\ntask 0: FAILED (org.apache.kafka.connect.errors.ConnectException: boom)");
    }

    @Test
    void tailShowsOperationKeyAndDelayAfterCommit() {
        String value = "{\"before\":null,\"after\":{\"id\":1},\"source\":{\"ts_ms\":1000},\"op\":\"c\"}";

        assertThat(TopicTail.describe("{\"id\":1}", value, 1250)).isEqualTo("op=c key={\"id\":1} (250 ms after commit) {\"id\":1}");
        assertThat(TopicTail.describe("{\"id\":1}", null, 0)).isEqualTo("tombstone key={\"id\":1}");
        assertThat(TopicTail.describe("k", "not json", 0)).isEqualTo("not JSON key=k value=not json");
    }

    private static ConnectorStatus status(String state, ConnectorStatus.Task... tasks) {
        return new ConnectorStatus("c", state, "w", List.of(tasks));
    }

    private static ConnectorStatus.Task task(String state) {
        return new ConnectorStatus.Task(0, state, null);
    }
}
