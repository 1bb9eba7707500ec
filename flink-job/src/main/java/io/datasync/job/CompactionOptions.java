package io.datasync.job;

import java.util.Collection;
import org.apache.flink.contrib.streaming.state.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/** RocksDB column-family settings Flink has no configuration key for (bench/README.md). */
final class CompactionOptions implements RocksDBOptionsFactory {
    private static final long serialVersionUID = 1L;
    /** Level-0 files before a compaction into level 1; RocksDB's default is 4. */
    static final int LEVEL0_COMPACTION_TRIGGER = 8;
    /**
     * Files above the last level older than this are compacted down (RocksDB's TTL compaction, checked when a
     * column family gets a new version and when the database opens). A timer column family gets no writes once
     * its timers fired: the put and the delete of every document held during the initial snapshot stayed in its
     * level-0 files for good, and a restored subtask's first timer lookups seeked through them for 25 s (bench/README.md).
     * Bottom-level files, where the large states live, are not rewritten by it. The assembler compacts its own spent
     * timers once the snapshot is released ({@code DocumentAssembler}); this is for the lookups' and for a restore in between.
     */
    static final long STALE_FILE_SECONDS = 600;

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
        return current;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
        return current.setLevel0FileNumCompactionTrigger(LEVEL0_COMPACTION_TRIGGER)
                .setTtl(STALE_FILE_SECONDS)
                .setLevel0SlowdownWritesTrigger(Math.max(current.level0SlowdownWritesTrigger(), 3 * LEVEL0_COMPACTION_TRIGGER))
                .setLevel0StopWritesTrigger(Math.max(current.level0StopWritesTrigger(), 5 * LEVEL0_COMPACTION_TRIGGER));
    }
}
