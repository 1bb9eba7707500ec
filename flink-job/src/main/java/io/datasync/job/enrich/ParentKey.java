package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A parent row of a relation, by the value of its key column: what parent state is keyed by. */
@TypeInfo(ParentKey.Info.class)
public record ParentKey(String relation, String parent) {
    // Spelled out: key groups come from it, so it must not change between builds or JVMs.
    @Override
    public int hashCode() {
        return 31 * relation.hashCode() + parent.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParentKey key && key.relation.equals(relation) && key.parent.equals(parent);
    }

    static void write(ParentKey key, DataOutputView out) throws IOException {
        Codec.writeString(key.relation, out);
        Codec.writeString(key.parent, out);
    }

    static ParentKey read(DataInputView in) throws IOException {
        return new ParentKey(Codec.readName(in), Codec.readString(in));
    }

    public static final class Serializer extends CompactSerializer<ParentKey> {
        @Override
        protected void write(ParentKey key, DataOutputView out) throws IOException {
            ParentKey.write(key, out);
        }

        @Override
        protected ParentKey read(DataInputView in) throws IOException {
            return ParentKey.read(in);
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<ParentKey> {
        public Info() {
            super(ParentKey.class, Serializer::new, true);
        }
    }
}
