package io.datasync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's RocksDB settings reach the database a keyed operator opens (what RocksDB wrote in its OPTIONS file),
 * and its timers are in RocksDB's snapshot: stack/job.sh takes native savepoints, which held no heap timers.
 */
class RocksDbTuningTest {
    @TempDir
    Path storage;

    @Test
    void theJobsRocksDbHasPartitionedIndexesBloomFiltersNoCompressionWhereLevelsAreRewrittenALargerLevel0NoStaleUpperFilesAndParallelCompactions() throws Exception {
        try (var harness = onTheJobsRocksDb(new Counter(), "counter")) {
            harness.open();
            harness.processElement(new StreamRecord<>(7L));
            assertThat(harness.extractOutputValues()).containsExactly(1L);

            List<String> options = Files.readAllLines(newestOptionsFile());
            assertThat(options).map(String::strip)
                    .contains("index_type=kTwoLevelIndexSearch", "partition_filters=true", "filter_policy=rocksdb.BuiltinBloomFilter")
                    // RocksDB writes it as kNoCompression:{kNoCompression}:{kLZ4Compression}.
                    .anySatisfy(line -> assertThat(line.replaceAll("[{}]", "")).isEqualTo("compression_per_level=kNoCompression:kNoCompression:kLZ4Compression"))
                    .contains("level0_file_num_compaction_trigger=" + CompactionOptions.LEVEL0_COMPACTION_TRIGGER)
                    .contains("ttl=" + CompactionOptions.STALE_FILE_SECONDS)
                    .contains("max_background_jobs=" + SyncJob.BACKGROUND_JOBS);
        }
    }

    @Test
    void aTimerPendingAtANativeSavepointFiresAfterTheRestore() throws Exception {
        OperatorSubtaskState savepoint;
        try (var harness = onTheJobsRocksDb(new Reminder(), "before")) {
            harness.open();
            harness.processElement(new StreamRecord<>(7L));
            savepoint = harness.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.NATIVE)).getJobManagerOwnedState();
        }
        try (var restored = onTheJobsRocksDb(new Reminder(), "after")) {
            restored.initializeState(savepoint);
            restored.open();
            restored.setProcessingTime(Reminder.DELAY_MILLIS);
            assertThat(restored.extractOutputValues()).containsExactly(7L);
        }
    }

    /** A keyed operator running {@code function} on the job's RocksDB, its files in {@code folder} under the test's storage. */
    private KeyedOneInputStreamOperatorTestHarness<Long, Long, Long> onTheJobsRocksDb(KeyedProcessFunction<Long, Long, Long> function, String folder)
            throws Exception {
        EmbeddedRocksDBStateBackend backend = SyncJob.rocksDb();
        backend.setDbStoragePath(storage.resolve(folder).toString());
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), (Long key) -> key, Types.LONG);
        harness.setStateBackend(backend);
        return harness;
    }

    /** Emits its key one delay after the key's element, as the assembler writes a document after its last change. */
    static final class Reminder extends KeyedProcessFunction<Long, Long, Long> {
        static final long DELAY_MILLIS = 200;

        @Override
        public void processElement(Long value, Context context, Collector<Long> out) {
            context.timerService().registerProcessingTimeTimer(context.timerService().currentProcessingTime() + DELAY_MILLIS);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext context, Collector<Long> out) {
            out.collect(context.getCurrentKey());
        }
    }

    private Path newestOptionsFile() throws Exception {
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).max(java.util.Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new AssertionError("RocksDB wrote no OPTIONS file under " + storage));
        }
    }

    /** Counts the elements per key in keyed state, so that the operator opens a RocksDB column family. */
    static final class Counter extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> seen;

        @Override
        public void open(Configuration parameters) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        }

        @Override
        public void processElement(Long value, Context context, Collector<Long> out) throws Exception {
            long count = seen.value() == null ? 1 : seen.value() + 1;
            seen.update(count);
            out.collect(count);
        }
    }
}
