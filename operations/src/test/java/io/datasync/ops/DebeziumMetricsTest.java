package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebeziumMetricsTest {
    @Test
    void aSnapshotInProgressSaysRowsReadAndTablesLeft() {
        String text = """
                # HELP debezium_metrics_SnapshotRunning SnapshotRunning
                # TYPE debezium_metrics_SnapshotRunning gauge
                debezium_metrics_SnapshotRunning{context="snapshot",plugin="postgres",server="dbserver"} 1.0
                debezium_metrics_SnapshotCompleted{context="snapshot",plugin="postgres",server="dbserver"} 0.0
                debezium_metrics_TotalTableCount{context="snapshot",plugin="postgres",server="dbserver"} 3.0
                debezium_metrics_RemainingTableCount{context="snapshot",plugin="postgres",server="dbserver"} 1.0
                debezium_metrics_RowsScanned{context="snapshot",plugin="postgres",server="dbserver",table="public.videos"} 26.0
                debezium_metrics_RowsScanned{context="snapshot",plugin="postgres",server="dbserver",table="public.users"} 1200.0
                debezium_metrics_Connected{context="streaming",plugin="postgres",server="dbserver"} 0.0
                debezium_metrics_MilliSecondsBehindSource{context="streaming",plugin="postgres",server="dbserver"} -1.0
                jvm_memory_used_bytes{area="heap"} 1.2E8
                """;

        assertThat(DebeziumMetrics.parse(text)).isEqualTo(new PipelineSnapshot.Debezium(true, false, 1_226, 3, 1, false, null));
    }

    @Test
    void streamingSaysHowFarBehindAndNoMetricsMeansNotKnown() {
        String text = """
                debezium_metrics_SnapshotCompleted{context="snapshot",plugin="postgres",server="dbserver"} 1.0
                debezium_metrics_Connected{context="streaming",plugin="postgres",server="dbserver"} 1.0
                debezium_metrics_MilliSecondsBehindSource{context="streaming",plugin="postgres",server="dbserver"} 420.0
                """;

        assertThat(DebeziumMetrics.parse(text)).isEqualTo(new PipelineSnapshot.Debezium(false, true, 0, null, null, true, 420.0));
        assertThat(DebeziumMetrics.parse("jvm_threads_current 42.0\n")).isNull();
    }
}
