package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Array state's one value per array and parent, read and written once per change: the children in
 * the array as last sent (best first), how many children the parent has, and whether the array waits
 * for the end of Debezium's snapshot (it is then computed once, from all children).
 */
@TypeInfo(ArraySummary.Info.class)
public record ArraySummary(List<String> top, long children, boolean held) {
    public static final ArraySummary NONE = new ArraySummary(List.of(), 0, false);

    public ArraySummary {
        top = List.copyOf(top);
    }

    public static final class Serializer extends CompactSerializer<ArraySummary> {
        @Override
        protected void write(ArraySummary summary, DataOutputView out) throws IOException {
            out.writeInt(summary.top.size());
            for (String child : summary.top) {
                Codec.writeString(child, out);
            }
            out.writeLong(summary.children);
            out.writeBoolean(summary.held);
        }

        @Override
        protected ArraySummary read(DataInputView in) throws IOException {
            int size = in.readInt();
            List<String> top = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                top.add(Codec.readString(in));
            }
            return new ArraySummary(top, in.readLong(), in.readBoolean());
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<ArraySummary> {
        public Info() {
            super(ArraySummary.class, Serializer::new, false);
        }
    }
}
