package io.datasync.job.sink;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * One write to OpenSearch: index or delete document {@code id} of {@code index} (the concrete,
 * versioned index behind {@code alias}) with external version {@code version}. {@code source} is
 * the document's JSON, encoded once by the assembler; null for a delete.
 */
@TypeInfo(DocumentWrite.Info.class)
public record DocumentWrite(String alias, String index, String id, byte[] source, long version, long commitMillis, String correlationId) {
    public boolean isDelete() {
        return source == null;
    }

    public static final class Serializer extends CompactSerializer<DocumentWrite> {
        @Override
        protected void write(DocumentWrite write, DataOutputView out) throws IOException {
            Codec.writeString(write.alias, out);
            Codec.writeString(write.index, out);
            Codec.writeString(write.id, out);
            Codec.writeBytes(write.source, out);
            out.writeLong(write.version);
            out.writeLong(write.commitMillis);
            Codec.writeString(write.correlationId, out);
        }

        @Override
        protected DocumentWrite read(DataInputView in) throws IOException {
            return new DocumentWrite(Codec.readName(in), Codec.readName(in), Codec.readString(in), Codec.readBytes(in), in.readLong(), in.readLong(),
                    Codec.readString(in));
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<DocumentWrite> {
        public Info() {
            super(DocumentWrite.class, Serializer::new, false);
        }
    }
}
