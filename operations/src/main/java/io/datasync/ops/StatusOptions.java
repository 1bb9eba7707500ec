package io.datasync.ops;

import io.datasync.job.ServiceDefaults;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import picocli.CommandLine.Option;

/** Where each part of the pipeline answers: the options of {@code make status} and of the status service. */
public final class StatusOptions {
    @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
    String spec;

    @Option(names = "--kafka", defaultValue = ServiceDefaults.KAFKA, description = "Kafka bootstrap (default: ${DEFAULT-VALUE}).")
    String kafka;

    @Option(names = "--connect-url", defaultValue = ServiceDefaults.CONNECT, description = "Kafka Connect REST (default: ${DEFAULT-VALUE}).")
    String connect;

    @Option(names = "--connect-metrics-url", defaultValue = ServiceDefaults.CONNECT_METRICS,
            description = "Kafka Connect's metrics endpoint, for Debezium's snapshot and streaming metrics (default: ${DEFAULT-VALUE}).")
    String connectMetrics;

    @Option(names = "--connector", defaultValue = "postgres-connector", description = "Connector name (default: ${DEFAULT-VALUE}).")
    String connector;

    @Option(names = "--slot", defaultValue = "dbserver_slot", description = "Replication slot (default: ${DEFAULT-VALUE}).")
    String slot;

    @Option(names = "--opensearch-url", defaultValue = ServiceDefaults.OPENSEARCH, description = "OpenSearch (default: ${DEFAULT-VALUE}).")
    String openSearch;

    @Option(names = "--flink-url", defaultValue = ServiceDefaults.FLINK, description = "Flink REST / web UI (default: ${DEFAULT-VALUE}).")
    String flink;

    @Option(names = "--taskmanagers", defaultValue = "${env:TASKMANAGERS:-1}",
            description = "TaskManagers the Flink cluster runs when whole; fewer registered is unhealthy (default: ${DEFAULT-VALUE}).")
    int taskManagers;

    @Option(names = "--group-id", defaultValue = "data-sync-job", description = "The job's Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    /** Asks the pipeline these options point at. */
    PipelineStatus pipeline() {
        return new PipelineStatus(SyncSpecParser.parse(spec), new PipelineStatus.Endpoints(ConnectionSettings.fromEnvironment(System.getenv()), kafka,
                connect, connectMetrics, connector, slot, openSearch, flink, taskManagers, groupId));
    }
}
