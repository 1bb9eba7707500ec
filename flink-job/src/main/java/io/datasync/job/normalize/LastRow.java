package io.datasync.job.normalize;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Normalize's state per row: the last row seen, the LSN of its change and its column names' hash. */
@TypeInfo(LastRow.Info.class)
public record LastRow(Row row, long lsn, int columnsHash) {

    public static final class Serializer extends CompactSerializer<LastRow> {
        @Override
        protected void write(LastRow last, DataOutputView out) throws IOException {
            Codec.writeRow(last.row, out);
            out.writeLong(last.lsn);
            out.writeInt(last.columnsHash);
        }

        @Override
        protected LastRow read(DataInputView in) throws IOException {
            return new LastRow(Codec.readRow(in), in.readLong(), in.readInt());
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<LastRow> {
        public Info() {
            super(LastRow.class, Serializer::new, false);
        }
    }
}
