package io.datasync.job;

import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.decode.DecodeFunction;
import io.datasync.job.decode.RawRecord;
import io.datasync.job.decode.RawRecordDeserializer;
import io.datasync.job.decode.RowChange;
import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.enrich.ArrayState;
import io.datasync.job.enrich.DocumentAssembler;
import io.datasync.job.enrich.DocumentInput;
import io.datasync.job.enrich.ElementAssembler;
import io.datasync.job.enrich.InterruptibleTimers;
import io.datasync.job.enrich.ParentUpdate;
import io.datasync.job.enrich.ParentStateFunction;
import io.datasync.job.enrich.RouteFunction;
import io.datasync.job.normalize.NormalizeOperator;
import io.datasync.job.normalize.TruncateFanOut;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.sink.DocumentWrite;
import io.datasync.job.sink.IndexManager;
import io.datasync.job.sink.IndexTargets;
import io.datasync.job.sink.OpenSearchAsyncSink;
import io.datasync.job.sink.OpenSearchSettings;
import io.datasync.job.source.NoResetOffsets;
import io.datasync.job.source.SourceTopics;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.job.transform.TransformFunction;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions;
import org.apache.flink.contrib.streaming.state.RocksDBOptions;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.CompressionType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The sync job. {@link #main} is wiring only; {@link #build} lays the dataflow on an environment
 * the caller supplies (tests pass a MiniCluster's). Every stateful operator has a stable uid: the
 * uids are the savepoint contract (README, "Operator UIDs").
 *
 * <pre>
 * Kafka (3 topics) → decode → snapshot phase → truncates to every key group → normalize (keyed by row) → route ─┬────────────────────────────→ assemble (keyed by document) → transform → OpenSearch
 *                   │                                                                                           └→ parent state (keyed by relation+parent) ↗
 *                   └→ dead letters (and normalize's dropped-column notices) → Kafka
 *
 * With arrays in the spec, an array's child rows and their lookups' parts go (filtered out of both
 * streams above) to the element assembler (keyed by element), its elements to array state (keyed by
 * array+parent), and the arrays to assemble:
 *   route, parent state → elements (keyed by element) → arrays (keyed by array+parent) → assemble
 * </pre>
 */
public final class SyncJob {
    private static final Logger LOG = LoggerFactory.getLogger(SyncJob.class);
    static final int MAX_PARALLELISM = 128;
    /** How long a checkpoint barrier may wait behind buffered records before it overtakes them (see {@link #configure}). */
    static final Duration ALIGNED_CHECKPOINT_TIMEOUT = Duration.ofSeconds(2);

    private final SyncSpec spec;
    private final JobOptions options;
    private final OpenSearchSettings openSearch;
    private final Start start;

    /**
     * Where this run writes and starts, resolved when it is submitted: the concrete index of each
     * alias, the highest write epoch recorded for them (the job writes above it), and for a rebuild
     * the topics' end offsets it starts at (null: from its checkpoint, or from the topics' start).
     */
    public record Start(IndexTargets targets, long recordedEpoch, Map<TopicPartition, Long> fromOffsets)
            implements java.io.Serializable {}

    /** A run without OpenSearch or Kafka at hand (tests): the spec's own index names, from the topics' start. */
    public SyncJob(SyncSpec spec, JobOptions options, OpenSearchSettings openSearch) {
        this(spec, options, openSearch, new Start(IndexTargets.ofSpec(spec), 0, null));
    }

    public SyncJob(SyncSpec spec, JobOptions options, OpenSearchSettings openSearch, Start start) {
        this.spec = spec;
        this.options = options;
        this.openSearch = openSearch;
        this.start = start;
    }

    public static void main(String[] args) throws Exception {
        JobOptions options = new JobOptions();
        CommandLine commandLine = JobOptions.commandLine(options);
        commandLine.parseArgs(args);
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(System.out);
            return;
        }
        SyncJob job = prepare(options, System.getenv());
        StreamExecutionEnvironment env = options.local ? localEnvironment(options) : StreamExecutionEnvironment.getExecutionEnvironment();
        job.build(env);
        env.execute(options.jobName());
    }

    /**
     * Everything checked before any data moves, each failure naming its setting: the sync spec,
     * the OpenSearch URL and credentials, Kafka and the spec's topics; then the indexes are created.
     */
    public static SyncJob prepare(JobOptions options, java.util.Map<String, String> environment) throws Exception {
        SyncSpec spec = SyncSpecParser.parse(options.spec);
        OpenSearchSettings openSearch = OpenSearchSettings.from(options.openSearchUrl, environment);
        LOG.info("starting with {}", options);
        SourceTopics.check(spec, options.bootstrapServers);
        IndexManager indexes = new IndexManager(openSearch);
        IndexTargets targets = indexes.ensureIndexes(spec, options.spec, options.rebuild, line -> LOG.info("index {}", line));
        long recordedEpoch = indexes.recordedEpoch(targets);
        LOG.info("highest write epoch recorded in the indexes: {}", recordedEpoch);
        // A rebuild starts at the end offsets of this moment, before the incremental snapshot is asked for: every snapshot read comes after them.
        Map<TopicPartition, Long> fromOffsets = options.rebuild == null ? null
                : SourceTopics.endOffsets(spec, options.bootstrapServers);
        return new SyncJob(spec, options, openSearch, new Start(targets, recordedEpoch, fromOffsets));
    }

    private static StreamExecutionEnvironment localEnvironment(JobOptions options) {
        Configuration configuration = inProcessCluster(java.nio.file.Path.of("var/flink/changelog").toAbsolutePath().toUri().toString());
        configuration.set(RestOptions.PORT, options.webUiPort);
        // One JVM holds JobManager, TaskManager and all state: long GC pauses must not read as a lost TaskManager.
        configuration.setString("heartbeat.timeout", "180000");
        if (options.restoreFrom != null) {
            configuration.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, options.restoreFrom);
            configuration.set(org.apache.flink.configuration.StateRecoveryOptions.RESTORE_MODE, org.apache.flink.core.execution.RestoreMode.CLAIM);
        }
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration);
    }

    /**
     * What a Flink cluster inside one JVM (--local, the tests' MiniCluster) needs for this job:
     * every port on loopback (the blob server and the TaskManager bind to all interfaces
     * otherwise), memory for RocksDB, and the changelog state backend's log (with the heap backend),
     * durably, under {@code changelogUri}.
     */
    public static Configuration inProcessCluster(String changelogUri) {
        Configuration configuration = new Configuration();
        configuration.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        configuration.set(RestOptions.ADDRESS, "127.0.0.1");
        configuration.setString("jobmanager.bind-host", "127.0.0.1");
        configuration.setString("taskmanager.bind-host", "127.0.0.1");
        configuration.setString("taskmanager.host", "127.0.0.1");
        configuration.setString("state.changelog.storage", "filesystem");
        configuration.setString("state.changelog.dstl.dfs.base-path", changelogUri);
        // RocksDB's block cache and write buffers (the default 128 MB of a local cluster left ~20 MB per
        // keyed operator: RocksDB.put took most of the tasks' time, ~240 documents/s for a 100,000-row transaction).
        configuration.setString("taskmanager.memory.managed.size", "512m");
        return configuration;
    }

    public SyncSpec spec() {
        return spec;
    }

    /**
     * Lays the job on {@code env}, after refusing a start that would skip changes: restored from the
     * snapshot in the environment's {@code execution.savepoint.path} (flink run -s, --restore-from),
     * or without state, the topics must still hold every change the job has not read.
     */
    public void build(StreamExecutionEnvironment env) {
        // The key flink run -s writes (execution.state-recovery.path; the older execution.savepoint.path is its fallback).
        String restorePointer = env.getConfiguration().getOptional(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH).orElse(null);
        if (start.fromOffsets() == null) {
            SourceTopics.checkResume(spec, options.bootstrapServers, restorePointer);
        } else if (restorePointer != null) {
            throw new IllegalArgumentException("--rebuild starts without state at the topics' end; it cannot restore " + restorePointer);
        }
        configure(env);
        DataPath path = dataPath(env.fromSource(source(), WatermarkStrategy.noWatermarks(), "Debezium topics").uid("cdc-source"));
        path.writes().sinkTo(openSearchSink()).uid("opensearch-sink").name("OpenSearch");
        path.deadLetters().sinkTo(deadLetterSink()).uid("dead-letter-sink").name("Dead letters");
    }

    /** What the data path hands to the sinks: the document writes and the dead letters. */
    public record DataPath(DataStream<DocumentWrite> writes, DataStream<DeadLetter> deadLetters) {}

    /**
     * Everything between the source and the sinks, with the uids of {@link #build}: a test lays it
     * on a source of its own (on an environment {@link #configure}d as the job's) and restores the
     * job's state into it.
     */
    public DataPath dataPath(DataStream<RawRecord> records) {
        SingleOutputStreamOperator<RowChange> decoded = records
                .process(new DecodeFunction(spec)).uid("decode").name("Decode Debezium events");
        DataStream<RowChange> changes = decoded
                // A rebuild starts before its incremental snapshot: its documents wait for the whole snapshot, as a first start's do.
                .assignTimestampsAndWatermarks(SnapshotPhase.watermarks(options.snapshotQuiet, start.fromOffsets() != null))
                .uid("snapshot-phase").name("Snapshot phase");
        SingleOutputStreamOperator<RowDelta> deltas = changes
                .flatMap(new TruncateFanOut()).name("Truncates to every key group")
                .keyBy(RowChange::rowKey)
                .transform("Normalize to before/after", new RowDelta.Info().info(), new NormalizeOperator()).uid("normalize");
        SingleOutputStreamOperator<DocumentInput> routed = deltas.process(new RouteFunction(spec)).uid("route").name("Route to indexes");
        DataStream<DocumentInput> fromParents = routed.getSideOutput(RouteFunction.PARENT_UPDATES)
                .keyBy(ParentUpdate::parent)
                .transform("Lookups and aggregates", new DocumentInput.Info().info(), new InterruptibleTimers<>(new ParentStateFunction(spec, shareValues(), options.bulkMaxActions)))
                .uid("parent-state");
        DataStream<DocumentInput> documentInputs = routed.union(fromParents);
        if (spec.indexes().stream().anyMatch(index -> !index.arrays().isEmpty())) {
            // Arrays' elements are kept apart (each filter chained to its producer), and their arrays join the documents' inputs.
            DataStream<DocumentInput> elementInputs = routed.filter(input -> input.document().isElement()).name("Element rows")
                    .union(fromParents.filter(input -> input.document().isElement()).name("Element lookups"));
            DataStream<DocumentInput> arrays = elementInputs
                    .keyBy(DocumentInput::document)
                    .process(new ElementAssembler(spec, shareValues()), new ParentUpdate.Info().info()).uid("assemble-elements").name("Array elements")
                    .keyBy(ParentUpdate::parent)
                    .transform("Arrays", new DocumentInput.Info().info(), new InterruptibleTimers<>(new ArrayState(spec))).uid("array-state");
            documentInputs = routed.filter(input -> !input.document().isElement()).name("Document rows")
                    .union(fromParents.filter(input -> !input.document().isElement()).name("Document lookups"), arrays);
        }
        DataStream<DocumentWrite> writes = documentInputs
                .keyBy(DocumentInput::document)
                .transform("Assemble documents", new DocumentWrite.Info().info(), new DocumentAssembler(spec, start.targets(), options.coalesce.toMillis(), options.bulkMaxActions, start.recordedEpoch(), shareValues()))
                .uid("assemble")
                .map(new TransformFunction()).uid("transform").name("Transform (plug-ins)");
        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(DecodeFunction.DEAD_LETTERS)
                .union(deltas.getSideOutput(NormalizeOperator.SCHEMA_NOTICES), routed.getSideOutput(RouteFunction.EXPRESSION_PROBLEMS));
        return new DataPath(writes, deadLetters);
    }

    /** Repeated values shared in state: on the heap it keeps memory, under RocksDB (a copy per read) it only costs. */
    private boolean shareValues() {
        return options.stateBackend == JobOptions.StateBackend.HASHMAP;
    }

    /** The job's settings on an environment: parallelism, no Kryo, checkpointing, the state backend (RocksDB by default). */
    public void configure(StreamExecutionEnvironment env) {
        env.setParallelism(options.parallelism);
        // The number of key groups, fixed: a savepoint restores at any parallelism up to it. (Flink derives
        // the default from the first run's parallelism; 128 is what it derived for every run up to 85.)
        env.setMaxParallelism(MAX_PARALLELISM);
        // Every type on the data path has its own serializer: a type that would fall back to Kryo fails the job at build time.
        Configuration types = new Configuration();
        types.set(PipelineOptions.GENERIC_TYPES, false);
        types.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(types);
        env.enableCheckpointing(options.checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        CheckpointConfig checkpoints = env.getCheckpointConfig();
        checkpoints.setExternalizedCheckpointCleanup(CheckpointConfig.ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
        checkpoints.setMinPauseBetweenCheckpoints(Math.min(options.checkpointInterval.toMillis() / 2, 5_000));
        // Under a backlog an aligned barrier waits behind every full buffer of every exchange: a checkpoint
        // took up to 135 s at 1,000 changes/s (bench/README.md). A barrier not through within the timeout
        // overtakes the buffers and takes them into the checkpoint (~2 MB measured; the longest checkpoint of a
        // 12-minute backlog 114 s → 44 s). No operator has a broadcast input (Flink would keep all of its
        // inputs aligned): truncates reach normalize through its keyed exchange. Settings given to flink run -D
        // or the client's config.yaml win.
        if (env.getConfiguration().getOptional(CheckpointingOptions.ENABLE_UNALIGNED).isEmpty()) {
            checkpoints.enableUnalignedCheckpoints();
        }
        // The end of the snapshot fires every parent's timer on one watermark: sliced, a checkpoint comes between.
        if (env.getConfiguration().getOptional(CheckpointingOptions.ENABLE_UNALIGNED_INTERRUPTIBLE_TIMERS).isEmpty()) {
            checkpoints.enableUnalignedCheckpointsInterruptibleTimers(true);
        }
        if (env.getConfiguration().getOptional(CheckpointingOptions.ALIGNED_CHECKPOINT_TIMEOUT).isEmpty()) {
            checkpoints.setAlignedCheckpointTimeout(ALIGNED_CHECKPOINT_TIMEOUT);
        }
        if (options.checkpointDir != null) {
            checkpoints.setCheckpointStorage(options.checkpointDir);
        }
        env.setStateBackend(options.stateBackend == JobOptions.StateBackend.ROCKSDB ? rocksDb() : new HashMapStateBackend());
        env.enableChangelogStateBackend(options.changelog());
    }

    /**
     * RocksDB's background jobs per database (Flink's default 2: one flush, one compaction). A restored subtask's
     * TTL compaction of its dead timers (0.8 s) waited behind a 20-s level-0 compaction of its documents while its
     * timer service seeked through those timers for 33 s (bench/README.md); with 4, three compactions run at once.
     */
    static final int BACKGROUND_JOBS = 4;

    /**
     * RocksDB with incremental checkpoints and the timers in RocksDB too: heap timers are left out of
     * native savepoints (documents waiting on a timer stayed stale after one), and they are written in
     * the synchronous part of every checkpoint. In RocksDB a held document's timer is a column-family
     * write and a seek (~6% of the CPU of a seed-size load, measured when the timers moved to the heap);
     * bench/README.md weighs it against native savepoints' restore (seconds instead of a minute). Bloom filters:
     * in a load almost every first access of a row, a child or a document reads a key that does not
     * exist yet, and without a filter each such read looks into every level (bench/README.md).
     * Partitioned index and filters: with one index block per SST file (~1 MB for a 64 MB file), the
     * block cache's share per slot could not keep them, and three quarters of the TaskManager's CPU
     * under a steady load went to reading and decompressing index blocks on every get (perf, bench/README.md);
     * partitioned, a get reads a pinned top-level index and one small index partition.
     * Compactions: the keys are spread evenly, so every level-0 → level-1 compaction rewrites a
     * subtask's whole level 1, and they took half the TaskManager's CPU in streaming (Snappy alone
     * a quarter): levels 0 and 1, the ones rewritten, are not compressed (LZ4 below them), and level 1
     * is rewritten after eight level-0 files instead of four ({@link CompactionOptions}).
     */
    static EmbeddedRocksDBStateBackend rocksDb() {
        EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend(true);
        rocksDb.setPriorityQueueStateType(EmbeddedRocksDBStateBackend.PriorityQueueStateType.ROCKSDB);
        Configuration tuning = new Configuration();
        tuning.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        tuning.set(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS, true);
        tuning.set(RocksDBConfigurableOptions.MAX_BACKGROUND_THREADS, BACKGROUND_JOBS);
        tuning.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL,
                List.of(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION));
        EmbeddedRocksDBStateBackend configured = rocksDb.configure(tuning, SyncJob.class.getClassLoader());
        configured.setRocksDBOptions(new CompactionOptions());
        return configured;
    }

    private KafkaSource<RawRecord> source() {
        List<String> topics = spec.tables().stream().map(spec::topic).toList();
        // Without state the job must read the topics from the start: its joins and aggregates are
        // built from every row, so resuming from committed offsets with empty state would be wrong.
        // Restored from a checkpoint, the offsets in the checkpoint win, and are never reset silently.
        NoResetOffsets offsets = new NoResetOffsets(start.fromOffsets() == null ? Map.of() : start.fromOffsets());
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(options.bootstrapServers)
                .setTopics(topics)
                .setGroupId(options.groupId)
                .setStartingOffsets(offsets)
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("partition.discovery.interval.ms", "60000")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    /** Several bulk requests in flight per subtask: external versions make reordering between them safe (an older write gets a 409). */
    private OpenSearchAsyncSink openSearchSink() {
        return OpenSearchAsyncSink.builder(openSearch, options.bootstrapServers, options.deadLetterTopic)
                .maxBatchActions(options.bulkMaxActions)
                .maxTimeInBuffer(options.bulkFlushInterval)
                .maxInFlightRequests(options.bulkInFlight)
                .build();
    }

    private KafkaSink<DeadLetter> deadLetterSink() {
        String topic = options.deadLetterTopic;
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(options.bootstrapServers)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                // Stamped with the time of the failure, not the record's stream time: retention counts from it.
                .setRecordSerializer((KafkaRecordSerializationSchema<DeadLetter>) (deadLetter, context, timestamp) ->
                        new ProducerRecord<>(topic, null, deadLetter.atMillis(), null, deadLetter.toJson()))
                .build();
    }
}
