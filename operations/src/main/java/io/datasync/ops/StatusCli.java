package io.datasync.ops;

import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.postgres.db.ConnectionSettings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code make status}: one table for the whole pipeline; exit 0 when every part is up and the job runs, 3 otherwise. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "The state of every part of the pipeline, in one table.")
public final class StatusCli implements Callable<Integer> {
    @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec (default: ${DEFAULT-VALUE}).")
    String spec;

    @Option(names = "--kafka", defaultValue = "127.0.0.1:${env:KAFKA_PORT:-9092}", description = "Kafka bootstrap (default: ${DEFAULT-VALUE}).")
    String kafka;

    @Option(names = "--connect-url", defaultValue = "http://127.0.0.1:${env:CONNECT_PORT:-8083}", description = "Kafka Connect REST (default: ${DEFAULT-VALUE}).")
    String connect;

    @Option(names = "--connector", defaultValue = "postgres-connector", description = "Connector name (default: ${DEFAULT-VALUE}).")
    String connector;

    @Option(names = "--slot", defaultValue = "dbserver_slot", description = "Replication slot (default: ${DEFAULT-VALUE}).")
    String slot;

    @Option(names = "--opensearch-url", defaultValue = "http://127.0.0.1:${env:OPENSEARCH_PORT:-9200}", description = "OpenSearch (default: ${DEFAULT-VALUE}).")
    String openSearch;

    @Option(names = "--flink-url", defaultValue = "http://127.0.0.1:${env:WEB_UI_PORT:-8082}", description = "Flink REST / web UI (default: ${DEFAULT-VALUE}).")
    String flink;

    @Option(names = "--group-id", defaultValue = "data-sync-job", description = "The job's Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StatusCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 2;
                })
                .execute(args));
    }

    @Override
    public Integer call() {
        SyncSpec syncSpec = SyncSpecParser.parse(spec);
        PipelineStatus.Endpoints endpoints = new PipelineStatus.Endpoints(ConnectionSettings.fromEnvironment(System.getenv()), kafka, connect,
                connector, slot, openSearch, flink, groupId);
        List<StatusTable.Row> rows = new PipelineStatus(syncSpec, endpoints).rows();
        System.out.print(StatusTable.render(rows));
        return StatusTable.healthy(rows) ? 0 : 3;
    }
}
