package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** What a document is assembled from; each input names its document and the change behind it. */
@TypeInfo(DocumentInput.Info.class)
public sealed interface DocumentInput {
    DocumentKey document();

    Trace trace();

    /** The document's root row; {@code row} null: the row was deleted. */
    record RootRow(DocumentKey document, Row row, Trace trace) implements DocumentInput {}

    /** The fields of parent {@code parentKey} for lookup {@code lookup}; {@code fields} null: no longer known or no longer referenced. */
    record Part(DocumentKey document, String lookup, String parentKey, Row fields, Trace trace) implements DocumentInput {}

    /** The results of the named aggregate over the document's children. */
    record AggregateResults(DocumentKey document, String aggregate, Row results, Trace trace) implements DocumentInput {}

    final class Serializer extends CompactSerializer<DocumentInput> {
        @Override
        protected void write(DocumentInput input, DataOutputView out) throws IOException {
            if (input instanceof RootRow root) {
                out.writeByte(0);
                Codec.writeRow(root.row(), out);
            } else if (input instanceof Part part) {
                out.writeByte(1);
                Codec.writeString(part.lookup(), out);
                Codec.writeString(part.parentKey(), out);
                Codec.writeRow(part.fields(), out);
            } else if (input instanceof AggregateResults results) {
                out.writeByte(2);
                Codec.writeString(results.aggregate(), out);
                Codec.writeRow(results.results(), out);
            }
            DocumentKey.write(input.document(), out);
            Trace.write(input.trace(), out);
        }

        @Override
        protected DocumentInput read(DataInputView in) throws IOException {
            byte kind = in.readByte();
            return switch (kind) {
                case 0 -> {
                    Row row = Codec.readRow(in);
                    yield new RootRow(DocumentKey.read(in), row, Trace.read(in));
                }
                case 1 -> {
                    String lookup = Codec.readName(in);
                    String parentKey = Codec.readString(in);
                    Row fields = Codec.readRow(in);
                    yield new Part(DocumentKey.read(in), lookup, parentKey, fields, Trace.read(in));
                }
                case 2 -> {
                    String aggregate = Codec.readName(in);
                    Row results = Codec.readRow(in);
                    yield new AggregateResults(DocumentKey.read(in), aggregate, results, Trace.read(in));
                }
                default -> throw new IOException("unknown document input kind " + kind);
            };
        }
    }

    final class Info extends CompactTypeInfo.Factory<DocumentInput> {
        public Info() {
            super(DocumentInput.class, Serializer::new, false);
        }
    }
}
