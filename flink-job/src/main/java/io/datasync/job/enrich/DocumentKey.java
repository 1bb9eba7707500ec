package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** A document: the index (its alias in the spec) and the id. What the assembler is keyed by. */
@TypeInfo(DocumentKey.Info.class)
public record DocumentKey(String index, String id) {
    // Spelled out: key groups come from it, so it must not change between builds or JVMs.
    @Override
    public int hashCode() {
        return 31 * index.hashCode() + id.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DocumentKey key && key.index.equals(index) && key.id.equals(id);
    }

    /** Whether this is an array's element ({@link io.datasync.job.spec.SyncSpec.IndexSpec#elementsOf}), not a document of an index. */
    public boolean isElement() {
        return index.contains(io.datasync.job.spec.SyncSpec.ELEMENTS);
    }

    static void write(DocumentKey key, DataOutputView out) throws IOException {
        Codec.writeString(key.index, out);
        Codec.writeString(key.id, out);
    }

    static DocumentKey read(DataInputView in) throws IOException {
        return new DocumentKey(Codec.readName(in), Codec.readString(in));
    }

    public static final class Serializer extends CompactSerializer<DocumentKey> {
        @Override
        protected void write(DocumentKey key, DataOutputView out) throws IOException {
            DocumentKey.write(key, out);
        }

        @Override
        protected DocumentKey read(DataInputView in) throws IOException {
            return DocumentKey.read(in);
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<DocumentKey> {
        public Info() {
            super(DocumentKey.class, Serializer::new, true);
        }
    }
}
