package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** What parent state learns of a relation's rows: the parent changed, or a child joined, changed or left it. */
@TypeInfo(ParentUpdate.Info.class)
public sealed interface ParentUpdate {
    ParentKey parent();

    Trace trace();

    /** The parent's looked-up columns ({@link io.datasync.job.spec.Relation#lookupColumns()}); {@code fields} null: it is gone. */
    record ParentChanged(ParentKey parent, Row fields, Trace trace) implements ParentUpdate {}

    /**
     * Child {@code child} references the parent with these inputs to the relation's aggregates
     * ({@link io.datasync.job.spec.Relation#contributionColumns()}); {@code contribution} null: it left.
     */
    record ChildChanged(ParentKey parent, String child, Row contribution, Trace trace) implements ParentUpdate {}

    final class Serializer extends CompactSerializer<ParentUpdate> {
        @Override
        protected void write(ParentUpdate update, DataOutputView out) throws IOException {
            if (update instanceof ParentChanged changed) {
                out.writeByte(0);
                Codec.writeRow(changed.fields(), out);
            } else if (update instanceof ChildChanged child) {
                out.writeByte(1);
                Codec.writeString(child.child(), out);
                Codec.writeRow(child.contribution(), out);
            }
            ParentKey.write(update.parent(), out);
            Trace.write(update.trace(), out);
        }

        @Override
        protected ParentUpdate read(DataInputView in) throws IOException {
            byte kind = in.readByte();
            return switch (kind) {
                case 0 -> {
                    Row fields = Codec.readRow(in);
                    yield new ParentChanged(ParentKey.read(in), fields, Trace.read(in));
                }
                case 1 -> {
                    String child = Codec.readString(in);
                    Row contribution = Codec.readRow(in);
                    yield new ChildChanged(ParentKey.read(in), child, contribution, Trace.read(in));
                }
                default -> throw new IOException("unknown parent update kind " + kind);
            };
        }
    }

    final class Info extends CompactTypeInfo.Factory<ParentUpdate> {
        public Info() {
            super(ParentUpdate.class, Serializer::new, false);
        }
    }
}
