package io.datasync.job.normalize;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A row of a table by its primary key: what normalize is keyed by. */
@TypeInfo(RowKey.Info.class)
public record RowKey(String table, String key) {
    // Spelled out: key groups come from it, so it must not change between builds or JVMs.
    @Override
    public int hashCode() {
        return 31 * table.hashCode() + key.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowKey row && row.table.equals(table) && row.key.equals(key);
    }

    public static final class Serializer extends CompactSerializer<RowKey> {
        @Override
        protected void write(RowKey key, DataOutputView out) throws IOException {
            Codec.writeString(key.table, out);
            Codec.writeString(key.key, out);
        }

        @Override
        protected RowKey read(DataInputView in) throws IOException {
            return new RowKey(Codec.readName(in), Codec.readString(in));
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<RowKey> {
        public Info() {
            super(RowKey.class, Serializer::new, true);
        }
    }
}
