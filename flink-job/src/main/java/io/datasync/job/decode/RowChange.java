package io.datasync.job.decode;

import io.datasync.job.normalize.RowKey;
import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * One decoded change of one row: the table, the row's key (its primary key value, as the document
 * id), what happened, the row after the change ({@code null} for a delete or truncate), whether
 * Debezium read it in a snapshot (op {@code r}) rather than from the WAL, and where it came from.
 * {@code columnsHash} identifies the row's column names in order, so a dropped column is noticed
 * without reading the names of every row. An unchanged TOASTed column holds {@link #UNAVAILABLE}.
 */
@TypeInfo(RowChange.Info.class)
public record RowChange(
        String table,
        String key,
        Op op,
        Row row,
        int columnsHash,
        long lsn,
        long commitMillis,
        boolean snapshot,
        Origin origin) {

    /** Debezium's placeholder for an unchanged TOASTed value the WAL does not carry. */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";

    public enum Op {
        /** Snapshot read, insert or update: {@code row} is the whole new row. */
        UPSERT,
        DELETE,
        /** The whole table was emptied; {@code key} is null, or a routing key for one of its copies. */
        TRUNCATE
    }

    /** A change of a row decoded elsewhere (tests, tools): the column hash is taken from the row. */
    public static RowChange upsert(String table, String key, Row row, long lsn, long commitMillis, boolean snapshot, Origin origin) {
        return new RowChange(table, key, Op.UPSERT, row, columnsHash(row.columns()), lsn, commitMillis, snapshot, origin);
    }

    public static RowChange delete(String table, String key, long lsn, long commitMillis, Origin origin) {
        return new RowChange(table, key, Op.DELETE, null, 0, lsn, commitMillis, false, origin);
    }

    public static RowChange truncate(String table, long lsn, long commitMillis, Origin origin) {
        return new RowChange(table, null, Op.TRUNCATE, null, 0, lsn, commitMillis, false, origin);
    }

    /** A copy of this truncate keyed to one key group of normalize ({@code key} only routes it, see {@code TruncateFanOut}). */
    public RowChange routedBy(String routingKey) {
        return new RowChange(table, routingKey, op, row, columnsHash, lsn, commitMillis, snapshot, origin);
    }

    /**
     * A read by Debezium's incremental snapshot ({@code make resnapshot}, a rebuild): op {@code r}
     * without an LSN, which Debezium leaves out of those reads (the initial snapshot's carry its LSN).
     */
    public boolean incrementalRead() {
        return op == Op.UPSERT && snapshot && lsn == 0;
    }

    public static int columnsHash(Iterable<String> columns) {
        int hash = 1;
        for (String column : columns) {
            hash = 31 * hash + column.hashCode();
        }
        return hash;
    }

    /** What normalize is keyed by. */
    public RowKey rowKey() {
        return new RowKey(table, key);
    }

    /** The Kafka record a change came from, for dead letters and logs. */
    public record Origin(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "/" + partition + "@" + offset;
        }
    }

    /** Follows a change from row to document and into logs and dead letters: table, key, source LSN. */
    public String correlationId() {
        return correlationId(table, key, lsn);
    }

    /** The one place a correlation ID is made. */
    public static String correlationId(String table, String key, long lsn) {
        return table + ":" + key + "@" + lsn;
    }

    public static final class Serializer extends CompactSerializer<RowChange> {
        private static final Op[] OPS = Op.values();


        @Override
        protected void write(RowChange change, DataOutputView out) throws IOException {
            Codec.writeString(change.table, out);
            Codec.writeString(change.key, out);
            out.writeByte(change.op.ordinal());
            Codec.writeRow(change.row, out);
            out.writeInt(change.columnsHash);
            out.writeLong(change.lsn);
            out.writeLong(change.commitMillis);
            out.writeBoolean(change.snapshot);
            out.writeBoolean(change.origin != null);
            if (change.origin != null) {
                Codec.writeString(change.origin.topic(), out);
                out.writeInt(change.origin.partition());
                out.writeLong(change.origin.offset());
            }
        }

        @Override
        protected RowChange read(DataInputView in) throws IOException {
            String table = Codec.readName(in);
            String key = Codec.readString(in);
            Op op = OPS[in.readByte()];
            Row row = Codec.readRow(in);
            int columnsHash = in.readInt();
            long lsn = in.readLong();
            long commitMillis = in.readLong();
            boolean snapshot = in.readBoolean();
            Origin origin = in.readBoolean() ? new Origin(Codec.readName(in), in.readInt(), in.readLong()) : null;
            return new RowChange(table, key, op, row, columnsHash, lsn, commitMillis, snapshot, origin);
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<RowChange> {
        public Info() {
            super(RowChange.class, Serializer::new, false);
        }
    }
}
