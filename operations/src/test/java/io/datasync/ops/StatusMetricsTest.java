package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.cdc.ConnectorStatus;
import io.datasync.cdc.SlotStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusMetricsTest {
    static final long NOW = 1_800_000_000_000L;

    /** A pipeline as make up leaves it at CI size. */
    static PipelineSnapshot healthy() {
        Map<String, String> indexTables = new LinkedHashMap<>();
        indexTables.put("comments_index", "comments");
        indexTables.put("videos_index", "videos");
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("comments", 3_000L);
        rows.put("videos", 26L);
        Map<String, Long> documents = new LinkedHashMap<>();
        documents.put("comments_index", 3_000L);
        documents.put("videos_index", 25L);
        return new PipelineSnapshot(NOW, indexTables,
                new PipelineSnapshot.Postgres("jdbc:postgresql://127.0.0.1:5432/app", rows, "dbserver_slot",
                        new SlotStatus("dbserver_slot", true, "0/1", 312, "reserved", 4_300_000_000L), null),
                new PipelineSnapshot.Kafka("127.0.0.1:9092", 1, "data-sync-job", 12L, null),
                new PipelineSnapshot.Connect("http://127.0.0.1:8083", "postgres-connector",
                        new ConnectorStatus("postgres-connector", "RUNNING", "w", List.of(new ConnectorStatus.Task(0, "RUNNING", null))),
                        new PipelineSnapshot.Debezium(false, true, 3_100, 3, 0, true, 250.0), null),
                new PipelineSnapshot.OpenSearch("http://127.0.0.1:9200", "green", documents, 0, null),
                new PipelineSnapshot.Flink("http://127.0.0.1:8082", 1, 1, 0, 2,
                        new PipelineSnapshot.Job("abc", "RUNNING", 10, 10, 0, new PipelineSnapshot.Checkpoint(7, NOW - 12_000, 5L << 20, 900),
                                new PipelineSnapshot.Figures(4_000.0, 3_100.0, 2.0, 5.0, 1_250.0, 0.0), null), null));
    }

    @Test
    void aFilteredIndexIsInStepWithTheRowsPassingItsFilter() {
        PipelineSnapshot healthy = healthy();
        PipelineSnapshot.Postgres postgres = healthy.postgres();
        PipelineSnapshot filtered = new PipelineSnapshot(healthy.takenAtMillis(), healthy.indexTables(),
                new PipelineSnapshot.Postgres(postgres.url(), postgres.tableRows(), Map.of("videos_index", 25L), postgres.slotName(), postgres.slot(), null),
                healthy.kafka(), healthy.connect(), healthy.openSearch(), healthy.flink());

        assertThat(StatusTable.render(StatusTable.rows(filtered)))
                .containsPattern("(?m)^videos_index +in step +25 rows / 25 documents \\(videos passing the spec's filter and soft delete; make verify")
                .containsPattern("(?m)^comments_index +in step +3,000 rows / 3,000 documents \\(comments; make verify");
    }

    static PipelineSnapshot allDown() {
        return new PipelineSnapshot(NOW, Map.of("comments_index", "comments"),
                PipelineSnapshot.Postgres.down("jdbc:postgresql://127.0.0.1:5432/app", "dbserver_slot", "Connection refused"),
                PipelineSnapshot.Kafka.down("127.0.0.1:9092", "data-sync-job", "timed out"),
                PipelineSnapshot.Connect.down("http://127.0.0.1:8083", "postgres-connector", "Connection refused"),
                PipelineSnapshot.OpenSearch.down("http://127.0.0.1:9200", "Connection refused"),
                PipelineSnapshot.Flink.down("http://127.0.0.1:8082", "Connection refused"));
    }

    @Test
    void aHealthyPipelineReadsAsMakeStatusAlwaysSaidIt() {
        List<StatusTable.Row> rows = StatusTable.rows(healthy());

        assertThat(StatusTable.render(rows)).containsPattern("(?m)^postgres +up +jdbc:postgresql://127.0.0.1:5432/app, comments 3,000 · videos 26$")
                .containsPattern("(?m)^replication slot +active +dbserver_slot, lag 312 bytes, WAL reserved \\(4,100 MB to spare\\)$")
                .containsPattern("(?m)^job's Kafka lag +12 +records not yet in a checkpoint of group data-sync-job$")
                .containsPattern("(?m)^connect +up +http://127.0.0.1:8083, connector postgres-connector RUNNING, task 0 RUNNING, streaming \\(0.3 s behind\\)$")
                .containsPattern("(?m)^job +RUNNING +abc, streaming, last checkpoint #7 12 s ago \\(5 MB\\)$")
                .containsPattern("(?m)^comments_index +in step +3,000 rows / 3,000 documents")
                .containsPattern("(?m)^videos_index +behind +26 rows / 25 documents");
        assertThat(StatusTable.healthy(rows)).isTrue();
    }

    @Test
    void aPipelineThatDoesNotAnswerSaysWhyPartByPart() {
        List<StatusTable.Row> rows = StatusTable.rows(allDown());

        assertThat(rows).extracting(StatusTable.Row::component).containsExactly("postgres", "kafka", "connect", "opensearch", "flink", "job");
        assertThat(rows).allSatisfy(row -> assertThat(row.healthy()).isFalse());
        assertThat(rows.get(0).detail()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/app: Connection refused");
    }

    @Test
    void theGaugesCarryWhatAnAlertNeeds() {
        String text = StatusMetrics.text(healthy());

        assertThat(text).contains("datasync_up{component=\"postgres\"} 1.0")
                .contains("datasync_table_rows{table=\"comments\"} 3000.0")
                .contains("datasync_slot_active{slot=\"dbserver_slot\"} 1.0")
                .contains("datasync_slot_lag_bytes{slot=\"dbserver_slot\"} 312.0")
                .contains("datasync_slot_wal_status{slot=\"dbserver_slot\",wal_status=\"reserved\"} 1.0")
                .contains("datasync_slot_wal_status{slot=\"dbserver_slot\",wal_status=\"lost\"} 0.0")
                .contains("datasync_connector_running{connector=\"postgres-connector\"} 1.0")
                .contains("datasync_connector_task_running{connector=\"postgres-connector\",task=\"0\"} 1.0")
                .contains("datasync_index_documents{index=\"videos_index\",table=\"videos\"} 25.0")
                .contains("datasync_opensearch_write_rejections_total 0.0")
                .contains("datasync_job_running 1.0")
                .contains("datasync_job_tasks{state=\"running\"} 10.0")
                .contains("datasync_job_last_checkpoint_age_seconds 12.0")
                .contains("datasync_job_kafka_lag_records{group=\"data-sync-job\"} 12.0")
                .contains("datasync_job_dead_letters_total 2.0")
                .contains("datasync_job_documents_written_total 3100.0")
                .contains("datasync_job_commit_to_written_seconds 1.25")
                .contains("# HELP datasync_slot_lag_bytes");
    }

    @Test
    void aPartThatDoesNotAnswerIsDownAndHasNoFigures() {
        String text = StatusMetrics.text(allDown());

        assertThat(text).contains("datasync_up{component=\"postgres\"} 0.0").contains("datasync_up{component=\"flink\"} 0.0")
                .doesNotContain("datasync_table_rows").doesNotContain("datasync_job_running").doesNotContain("datasync_slot_");
    }

    @Test
    void aJobRestoringItsStateIsNotRunningForAlerts() {
        PipelineSnapshot snapshot = healthy();
        PipelineSnapshot restoring = new PipelineSnapshot(NOW, snapshot.indexTables(), snapshot.postgres(), snapshot.kafka(), snapshot.connect(),
                snapshot.openSearch(), new PipelineSnapshot.Flink("http://127.0.0.1:8082", 1, 1, 0, 2,
                        new PipelineSnapshot.Job("abc", "RUNNING", 10, 4, 6, null, null, null), null));

        assertThat(StatusMetrics.text(restoring)).contains("datasync_job_running 0.0").contains("datasync_job_tasks{state=\"restoring\"} 6.0");
    }

    @Test
    void theJsonOfMakeStatusAndTheApiHoldsTheVerdictTheRowsAndTheFigures() throws Exception {
        JsonNode status = new ObjectMapper().readTree(StatusTable.json(healthy()));

        assertThat(status.path("healthy").asBoolean()).isTrue();
        assertThat(status.path("components").get(0).path("component").asText()).isEqualTo("postgres");
        assertThat(status.path("pipeline").path("postgres").path("slot").path("walStatus").asText()).isEqualTo("reserved");
        assertThat(status.path("pipeline").path("flink").path("job").path("tasksRunning").asInt()).isEqualTo(10);
    }
}
