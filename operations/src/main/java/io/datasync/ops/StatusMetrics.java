package io.datasync.ops;

import io.datasync.cdc.ConnectorStatus;
import io.datasync.cdc.SlotStatus;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pure: a {@link PipelineSnapshot} as Prometheus gauges ({@code datasync_*}), for what no process
 * exports itself: rows per table, the replication slot, the connector's state as Connect's REST API
 * says it, documents per index, OpenSearch's rejected writes, the job and its tasks. A part that
 * could not be asked gives {@code datasync_up{component=…} 0} and none of its other gauges.
 */
public final class StatusMetrics {
    /** PostgreSQL's wal_status values, each a series of {@code datasync_slot_wal_status} (1 for the current one). */
    static final List<String> WAL_STATUSES = List.of("reserved", "extended", "unreserved", "lost");

    private StatusMetrics() {}

    public static MetricSnapshots of(PipelineSnapshot snapshot) {
        List<MetricSnapshot> metrics = new ArrayList<>();
        GaugeSnapshot.Builder up = gauge("datasync_up", "1 when the component answered the status service, 0 when it did not");
        up.dataPoint(point(snapshot.postgres().error() == null ? 1 : 0, "component", "postgres"));
        up.dataPoint(point(snapshot.kafka().error() == null ? 1 : 0, "component", "kafka"));
        up.dataPoint(point(snapshot.connect().error() == null ? 1 : 0, "component", "connect"));
        up.dataPoint(point(snapshot.openSearch().error() == null ? 1 : 0, "component", "opensearch"));
        up.dataPoint(point(snapshot.flink().error() == null ? 1 : 0, "component", "flink"));
        metrics.add(up.build());
        postgres(snapshot.postgres(), metrics);
        kafka(snapshot.kafka(), metrics);
        connect(snapshot.connect(), metrics);
        openSearch(snapshot, metrics);
        flink(snapshot.flink(), snapshot.takenAtMillis(), metrics);
        return new MetricSnapshots(metrics);
    }

    /** The Prometheus text format of {@link #of}. */
    public static String text(PipelineSnapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, of(snapshot), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void postgres(PipelineSnapshot.Postgres postgres, List<MetricSnapshot> metrics) {
        if (postgres.error() != null) {
            return;
        }
        GaugeSnapshot.Builder rows = gauge("datasync_table_rows", "Rows per table of the sync spec (count(*))");
        postgres.tableRows().forEach((table, count) -> rows.dataPoint(point(count, "table", table)));
        metrics.add(rows.build());
        SlotStatus slot = postgres.slot();
        metrics.add(gauge("datasync_slot_exists", "1 when the replication slot exists").dataPoint(point(slot == null ? 0 : 1, "slot", postgres.slotName())).build());
        if (slot == null) {
            return;
        }
        metrics.add(gauge("datasync_slot_active", "1 while a consumer (Debezium) holds the replication slot").dataPoint(point(slot.active() ? 1 : 0, "slot", slot.name())).build());
        metrics.add(gauge("datasync_slot_lag_bytes", "WAL bytes between the current position and what the slot's consumer confirmed")
                .dataPoint(point(slot.lagBytes(), "slot", slot.name())).build());
        if (slot.safeWalBytes() != null) {
            metrics.add(gauge("datasync_slot_safe_wal_bytes", "WAL bytes that can still be written before the slot is at risk (safe_wal_size)")
                    .dataPoint(point(slot.safeWalBytes(), "slot", slot.name())).build());
        }
        GaugeSnapshot.Builder status = gauge("datasync_slot_wal_status", "1 for the slot's wal_status (reserved, extended, unreserved: lost at the next"
                + " checkpoint, lost: changes gone)");
        for (String value : WAL_STATUSES) {
            status.dataPoint(point(value.equals(slot.walStatus()) ? 1 : 0, "slot", slot.name(), "wal_status", value));
        }
        metrics.add(status.build());
    }

    private static void kafka(PipelineSnapshot.Kafka kafka, List<MetricSnapshot> metrics) {
        if (kafka.error() == null && kafka.jobLag() != null) {
            metrics.add(gauge("datasync_job_kafka_lag_records", "Records on the job's topics past the offsets its consumer group committed (on checkpoints)")
                    .dataPoint(point(kafka.jobLag(), "group", kafka.consumerGroup())).build());
        }
    }

    private static void connect(PipelineSnapshot.Connect connect, List<MetricSnapshot> metrics) {
        if (connect.error() != null) {
            return;
        }
        ConnectorStatus connector = connect.connector();
        metrics.add(gauge("datasync_connector_running", "1 when the connector is registered and RUNNING")
                .dataPoint(point(connector != null && ConnectorStatus.RUNNING.equals(connector.state()) ? 1 : 0, "connector", connect.connectorName())).build());
        if (connector == null) {
            return;
        }
        GaugeSnapshot.Builder tasks = gauge("datasync_connector_task_running", "1 per connector task that is RUNNING, 0 per task that is not");
        for (ConnectorStatus.Task task : connector.tasks()) {
            tasks.dataPoint(point(ConnectorStatus.RUNNING.equals(task.state()) ? 1 : 0, "connector", connector.name(), "task", Integer.toString(task.id())));
        }
        metrics.add(tasks.build());
    }

    private static void openSearch(PipelineSnapshot snapshot, List<MetricSnapshot> metrics) {
        PipelineSnapshot.OpenSearch openSearch = snapshot.openSearch();
        if (openSearch.error() != null) {
            return;
        }
        GaugeSnapshot.Builder documents = gauge("datasync_index_documents", "Searchable documents per index (alias) of the sync spec");
        for (Map.Entry<String, Long> index : openSearch.documents().entrySet()) {
            documents.dataPoint(point(index.getValue(), "index", index.getKey(), "table", snapshot.indexTables().getOrDefault(index.getKey(), "")));
        }
        metrics.add(documents.build());
        counter(metrics, "datasync_opensearch_write_rejections", "Write requests OpenSearch rejected (HTTP 429) since it started, all nodes",
                (double) openSearch.writeRejections());
        metrics.add(gauge("datasync_opensearch_cluster_red", "1 when the cluster's health is red").dataPoint(point("red".equals(openSearch.health()) ? 1 : 0)).build());
    }

    private static void flink(PipelineSnapshot.Flink flink, long now, List<MetricSnapshot> metrics) {
        if (flink.error() != null) {
            return;
        }
        metrics.add(gauge("datasync_flink_taskmanagers", "TaskManagers registered with the JobManager").dataPoint(point(flink.taskManagers())).build());
        PipelineSnapshot.Job job = flink.job();
        metrics.add(gauge("datasync_job_running", "1 when the sync job is RUNNING with every task running (not restoring its state)")
                .dataPoint(point(job != null && job.allTasksRunning() ? 1 : 0)).build());
        if (job == null || job.jobError() != null) {
            return;
        }
        metrics.add(gauge("datasync_job_tasks", "The sync job's tasks by state").dataPoint(point(job.tasksRunning(), "state", "running"))
                .dataPoint(point(job.tasksRestoring(), "state", "restoring"))
                .dataPoint(point(job.tasksTotal() - job.tasksRunning() - job.tasksRestoring(), "state", "other")).build());
        PipelineSnapshot.Figures figures = job.figures();
        if (figures != null) {
            counter(metrics, "datasync_job_events_in", "Debezium events the job decoded since it (re)started", figures.eventsIn());
            counter(metrics, "datasync_job_documents_written", "Document writes OpenSearch accepted since the job (re)started", figures.documentsWritten());
            counter(metrics, "datasync_job_dead_letters", "Events and documents sent to the dead-letter topic since the job (re)started", figures.deadLetters());
            counter(metrics, "datasync_job_version_conflicts", "Writes OpenSearch refused as older than the document (harmless) since the job (re)started",
                    figures.versionConflicts());
            if (figures.commitToWrittenMillis() != null) {
                metrics.add(gauge("datasync_job_commit_to_written_seconds", "From the row's commit in PostgreSQL to its document written, the largest of the last bulks")
                        .dataPoint(point(figures.commitToWrittenMillis() / 1000.0)).build());
            }
            if (figures.pendingRecords() != null) {
                metrics.add(gauge("datasync_job_source_pending_records", "Records on the job's topics its Kafka source has yet to read")
                        .dataPoint(point(figures.pendingRecords())).build());
            }
        }
        PipelineSnapshot.Checkpoint last = job.lastCheckpoint();
        if (last != null) {
            metrics.add(gauge("datasync_job_last_checkpoint_age_seconds", "Seconds since the job's last completed checkpoint")
                    .dataPoint(point(Math.max(0, now - last.completedAtMillis()) / 1000.0)).build());
            metrics.add(gauge("datasync_job_last_checkpoint_duration_seconds", "End-to-end duration of the job's last completed checkpoint")
                    .dataPoint(point(last.durationMillis() / 1000.0)).build());
            metrics.add(gauge("datasync_job_last_checkpoint_size_bytes", "State size of the job's last completed checkpoint")
                    .dataPoint(point(last.sizeBytes())).build());
        }
    }

    private static void counter(List<MetricSnapshot> metrics, String name, String help, Double value) {
        if (value != null) {
            metrics.add(CounterSnapshot.builder().name(name).help(help).dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build());
        }
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }
}
