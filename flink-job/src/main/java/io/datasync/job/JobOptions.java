package io.datasync.job;

import io.datasync.job.spec.SyncSpecParser;
import java.io.Serializable;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every setting of the job, as flags with environment defaults. Credentials are not flags: see
 * {@link io.datasync.job.sink.OpenSearchSettings}.
 */
@Command(name = "data-sync-job", mixinStandardHelpOptions = true, description = "Keeps OpenSearch equal to PostgreSQL from Debezium topics.")
public final class JobOptions implements Serializable {
    public enum StateBackend {
        HASHMAP,
        ROCKSDB
    }

    /** The parser of these options: enum values in any case ({@code --state-backend rocksdb}, as the README writes them). */
    public static CommandLine commandLine(JobOptions options) {
        return new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Option(names = "--bootstrap-servers", defaultValue = ServiceDefaults.KAFKA, description = "Kafka (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--opensearch-url", defaultValue = ServiceDefaults.OPENSEARCH, description = "OpenSearch (default: ${DEFAULT-VALUE}).")
    String openSearchUrl;

    @Option(names = "--spec", defaultValue = "${env:SYNC_SPEC:-" + SyncSpecParser.DEFAULT_SPEC + "}", description = "Sync spec YAML (default: ${DEFAULT-VALUE}).")
    String spec;

    @Option(names = "--group-id", defaultValue = "data-sync-job", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--restore-from", description = "A checkpoint or savepoint to restore a --local run from (on a cluster: flink run -s).")
    String restoreFrom;

    @Option(names = "--dead-letter-topic", defaultValue = "dbserver.dlq", description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--parallelism", defaultValue = "${env:JOB_PARALLELISM:-2}", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    // Heap state is snapshotted whole: at seed size (~0.7 GB of state) a checkpoint takes ~15 s on
    // 2 cores, so a shorter interval leaves the job checkpointing most of the time.
    @Option(names = "--checkpoint-interval", defaultValue = "PT60S", description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--checkpoint-dir", description = "Checkpoint storage URI (default: the cluster's; for local runs var/flink/checkpoints).")
    String checkpointDir;

    // RocksDB by default (bench/README.md, issue 13): at seed size it keeps the TaskManager within 3 GB,
    // its GC pauses short and its restore a copy of files (the heap backend deserializes ~2 GB of state
    // and replays its changelog: 6.7 min after a TaskManager was killed following a 12-minute load).
    @Option(names = "--state-backend", defaultValue = "ROCKSDB", description = "${COMPLETION-CANDIDATES}: RocksDB with incremental checkpoints, or the heap (default: ${DEFAULT-VALUE}).")
    StateBackend stateBackend;

    // Measured (bench/README.md): on the heap without it every checkpoint writes the whole state (~1 GB
    // at seed size, ~15 s of a core per minute), which stalls the writes of the moment. RocksDB's
    // incremental checkpoints need no log.
    @Option(names = "--changelog", negatable = true,
            description = "Changelog state backend: a checkpoint writes only the state changes since the last one; the full state is"
                    + " materialized in the background every state.changelog.periodic-materialize.interval (10 min). Needs"
                    + " state.changelog.storage: filesystem and state.changelog.dstl.dfs.base-path on the cluster (flink-conf/config.yaml"
                    + " has them; default: on with --state-backend hashmap, off with rocksdb).")
    Boolean changelog;

    @Option(names = "--coalesce", defaultValue = "PT0.2S", description = "How long a document waits for more changes before it is written (default: ${DEFAULT-VALUE}).")
    Duration coalesce;

    @Option(names = "--snapshot-quiet", defaultValue = "PT3S",
            description = "Documents from Debezium's initial snapshot are written once the snapshot has been read; it counts as read when no"
                    + " snapshot record has come for this long while the source could emit (time it waits on back-pressure, and up to 30 s before a"
                    + " decoding subtask's first record, do not count; default: ${DEFAULT-VALUE}).")
    Duration snapshotQuiet;

    @Option(names = "--bulk-max-actions", defaultValue = "2000", description = "Documents per bulk request (default: ${DEFAULT-VALUE}).")
    int bulkMaxActions;

    @Option(names = "--bulk-flush-interval", defaultValue = "PT0.2S", description = "Longest wait before a partial bulk request is sent, once a slot for it is free; below 10 s (default: ${DEFAULT-VALUE}).")
    Duration bulkFlushInterval;

    @Option(names = "--bulk-in-flight", defaultValue = "2",
            description = "Bulk requests in flight per sink subtask; a checkpoint waits for all of them (default: ${DEFAULT-VALUE}; 1 wrote a third fewer"
                    + " documents in a 12-minute backlog without shorter checkpoints, 4 less than half: bench/README.md).")
    int bulkInFlight;

    @Option(names = "--rebuild", paramLabel = "LABEL",
            description = "Build every index anew beside the live ones, into <alias>_v<version>_LABEL (no alias is touched), starting with"
                    + " empty state at the topics' current end: an incremental snapshot (make resnapshot) then feeds every row. make reindex"
                    + " runs this, verifies the result and moves the aliases.")
    String rebuild;

    @Option(names = "--job-name", defaultValue = "data-sync-opensearch", description = "The Flink job's name (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Option(names = "--local", description = "Run in a local MiniCluster with the web UI on 127.0.0.1:--web-ui-port.")
    boolean local;

    @Option(names = "--web-ui-port", defaultValue = "8082", description = "Web UI port of --local runs (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    /** Options from command-line arguments, defaults and environment as {@code main} reads them. */
    public static JobOptions parse(String... args) {
        JobOptions options = new JobOptions();
        commandLine(options).parseArgs(args);
        return options;
    }

    public String spec() {
        return spec;
    }

    public String openSearchUrl() {
        return openSearchUrl;
    }

    public boolean local() {
        return local;
    }

    public String jobName() {
        return jobName;
    }

    /** Whether the changelog state backend wraps the state backend: asked for, or by default on the heap only. */
    public boolean changelog() {
        return changelog != null ? changelog : stateBackend == StateBackend.HASHMAP;
    }

    @Override
    public String toString() {
        return "bootstrap=" + bootstrapServers + " opensearch=" + openSearchUrl + " spec=" + spec + " group=" + groupId
                + " parallelism=" + parallelism + " checkpoint=" + checkpointInterval + " state=" + stateBackend + (changelog() ? "+changelog" : "") + " coalesce=" + coalesce + " snapshotQuiet=" + snapshotQuiet
                + " bulk=" + bulkMaxActions + "/" + bulkFlushInterval + "x" + bulkInFlight + (rebuild == null ? "" : " rebuild=" + rebuild);
    }
}
