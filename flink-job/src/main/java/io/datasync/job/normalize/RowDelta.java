package io.datasync.job.normalize;

import io.datasync.job.decode.RowChange;
import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A change as a before/after pair of whole rows (Flink SQL's changelog model): {@code before} null
 * for an insert, {@code after} null for a delete. Built from the last row seen for the key, so
 * it never depends on Debezium's before-image, which the default replica identity leaves empty.
 */
@TypeInfo(RowDelta.Info.class)
public record RowDelta(String table, String key, Row before, Row after, long lsn, long commitMillis) {

    public boolean isDelete() {
        return after == null;
    }

    public String correlationId() {
        return RowChange.correlationId(table, key, lsn);
    }

    public static final class Serializer extends CompactSerializer<RowDelta> {
        @Override
        protected void write(RowDelta delta, DataOutputView out) throws IOException {
            Codec.writeString(delta.table, out);
            Codec.writeString(delta.key, out);
            Codec.writeRow(delta.before, out);
            Codec.writeRow(delta.after, out);
            out.writeLong(delta.lsn);
            out.writeLong(delta.commitMillis);
        }

        @Override
        protected RowDelta read(DataInputView in) throws IOException {
            return new RowDelta(Codec.readName(in), Codec.readString(in), Codec.readRow(in), Codec.readRow(in), in.readLong(), in.readLong());
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<RowDelta> {
        public Info() {
            super(RowDelta.class, Serializer::new, false);
        }
    }
}
