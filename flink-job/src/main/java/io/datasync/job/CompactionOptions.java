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

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
        return current;
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handlesToClose) {
        return current.setLevel0FileNumCompactionTrigger(LEVEL0_COMPACTION_TRIGGER)
                .setLevel0SlowdownWritesTrigger(Math.max(current.level0SlowdownWritesTrigger(), 3 * LEVEL0_COMPACTION_TRIGGER))
                .setLevel0StopWritesTrigger(Math.max(current.level0StopWritesTrigger(), 5 * LEVEL0_COMPACTION_TRIGGER));
    }
}
