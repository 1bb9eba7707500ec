package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.ops.StatusTable.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    @Test
    void columnsAlignOnTheLongestEntry() {
        String table = StatusTable.render(List.of(Row.ok("postgres", "up", "a"), Row.bad("replication slot", "inactive", "b")));

        assertThat(table.lines()).containsExactly(
                "component         state     detail",
                "postgres          up        a",
                "replication slot  inactive  b");
    }

    @Test
    void onePartDownMakesThePipelineUnhealthy() {
        assertThat(StatusTable.healthy(List.of(Row.ok("kafka", "up", ""), Row.ok("job", "RUNNING", "")))).isTrue();
        assertThat(StatusTable.healthy(List.of(Row.ok("kafka", "up", ""), Row.bad("job", "FAILED", "")))).isFalse();
    }

    @Test
    void countsAndAgesReadAsAUserWouldSayThem() {
        assertThat(StatusTable.counts(500_000, 499_990)).isEqualTo("500,000 rows / 499,990 documents");
        assertThat(StatusTable.age(12_345)).isEqualTo("12 s ago");
        assertThat(StatusTable.age(600_000)).isEqualTo("10 min ago");
        assertThat(StatusTable.age(3 * 3_600_000)).isEqualTo("3 h ago");
    }

    @Test
    void aJobWhoseTasksStillRestoreIsNotRunning() {
        long now = 1_000_000;
        PipelineSnapshot.Checkpoint checkpoint = new PipelineSnapshot.Checkpoint(3, now - 5_000, 3L << 20, 800);
        Row restoring = StatusTable.job(new PipelineSnapshot.Job("abc", "RUNNING", 10, 7, 3, null, null, null), now);
        Row starting = StatusTable.job(new PipelineSnapshot.Job("abc", "RUNNING", 10, 8, 0, null, null, null), now);
        Row running = StatusTable.job(new PipelineSnapshot.Job("abc", "RUNNING", 10, 10, 0, checkpoint, null, null), now);

        assertThat(restoring).extracting(Row::state, Row::healthy).containsExactly("RESTORING", false);
        assertThat(restoring.detail()).isEqualTo("abc, 7 of 10 tasks running, 3 restoring their state (documents are not updated until they run), no checkpoint yet");
        assertThat(starting).extracting(Row::state, Row::healthy).containsExactly("STARTING", false);
        assertThat(running).extracting(Row::state, Row::healthy, Row::detail).containsExactly("RUNNING", true, "abc, streaming, last checkpoint #3 5 s ago (3 MB)");
        assertThat(StatusTable.job(new PipelineSnapshot.Job("abc", "FAILING", 10, 0, 0, null, null, null), now).healthy()).isFalse();
        assertThat(StatusTable.job(null, now)).extracting(Row::state, Row::healthy).containsExactly("not submitted", false);
    }

    @Test
    void aClusterMissingATaskManagerIsDegraded() {
        Row whole = StatusTable.flink(new PipelineSnapshot.Flink("http://f", 2, 2, 2, 4, null, null));
        Row missingOne = StatusTable.flink(new PipelineSnapshot.Flink("http://f", 1, 2, 0, 2, null, null));
        // make reindex adds a TaskManager beyond those the cluster runs when whole.
        Row oneMore = StatusTable.flink(new PipelineSnapshot.Flink("http://f", 3, 2, 2, 6, null, null));

        assertThat(whole).extracting(Row::state, Row::healthy, Row::detail).containsExactly("up", true, "http://f, 2 TaskManager(s), 2/4 slots free");
        assertThat(missingOne).extracting(Row::state, Row::healthy, Row::detail)
                .containsExactly("degraded", false, "http://f, 1 of 2 TaskManager(s) (make start-flink starts the missing), 0/2 slots free");
        assertThat(oneMore.healthy()).isTrue();
        assertThat(StatusTable.flink(new PipelineSnapshot.Flink("http://f", 0, 1, 0, 0, null, null)).healthy()).isFalse();
    }

    @Test
    void debeziumsPhaseFollowsTheConnectorsState() {
        assertThat(StatusTable.debezium(new PipelineSnapshot.Debezium(true, false, 1_226, 3, 1, false, null), 5_375))
                .isEqualTo(", snapshot: 1,226 of 5,375 rows read, 1 of 3 tables left");
        assertThat(StatusTable.debezium(new PipelineSnapshot.Debezium(true, false, 1_226, 3, 1, false, null), 0))
                .isEqualTo(", snapshot: 1,226 rows read, 1 of 3 tables left");
        assertThat(StatusTable.debezium(new PipelineSnapshot.Debezium(false, true, 3_100, 3, 0, true, 420.0), 5_375)).isEqualTo(", streaming (0.4 s behind)");
        assertThat(StatusTable.debezium(null, 5_375)).isEmpty();
    }

    @Test
    void eachOperatorsPhaseIsSaidOnceAndServedAsJson() throws Exception {
        assertThat(new PipelineSnapshot.Operator("Lookups", 2, 1, 1).phase()).isEqualTo("restoring state (1 of 2 subtasks)");
        assertThat(new PipelineSnapshot.Operator("Lookups", 2, 1, 0).phase()).isEqualTo("starting (1 of 2 subtasks running)");
        assertThat(new PipelineSnapshot.Operator("Lookups", 2, 2, 0).phase()).isEqualTo("running");
        // The status page draws what /api/status says, not a second reading of the task counts.
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(new PipelineSnapshot.Operator("Lookups", 2, 1, 1)))
                .contains("\"phase\":\"restoring state (1 of 2 subtasks)\"");
    }

    @Test
    void theJobsPhaseSaysWhetherItRestoresReadsTheSnapshotWritesItOrStreams() throws Exception {
        assertThat(job(7, 3, null).phase()).isEqualTo("restoring state");
        assertThat(job(8, 0, null).phase()).isEqualTo("starting");
        assertThat(job(10, 0, figures(120_000.0, 80_000.0, 0.0)).phase())
                .isEqualTo("reading the snapshot (120,000 changes read, 80,000 documents held until it is all read)");
        assertThat(job(10, 0, figures(900_000.0, 850_000.0, 400_000.0)).phase()).isEqualTo("writing the snapshot's documents (400,000 to write)");
        assertThat(job(10, 0, figures(900_000.0, 0.0, 0.0)).phase()).isEqualTo("streaming");
        assertThat(job(10, 0, null).phase()).as("a job that reports no figures yet").isEqualTo("streaming");
        assertThat(new PipelineSnapshot.Job("abc", "FAILING", 10, 0, 0, null, null, null).phase()).isEqualTo("failing");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(job(10, 0, figures(900_000.0, 0.0, 0.0))))
                .contains("\"phase\":\"streaming\"");
    }

    static PipelineSnapshot.Job job(int running, int restoring, PipelineSnapshot.Figures figures) {
        return new PipelineSnapshot.Job("abc", "RUNNING", 10, running, restoring, null, figures, null);
    }

    static PipelineSnapshot.Figures figures(double eventsIn, double held, double toRelease) {
        return new PipelineSnapshot.Figures(eventsIn, 0.0, 0.0, 0.0, null, 0.0, held, toRelease);
    }
}
