package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A parent's change still being sent to its children, a slice at a time ({@link ParentStateFunction}):
 * the lookups whose part changed (a bit per position in the relation's lookups), the last child
 * sent (children go in key order), and the change that caused it (its trace goes with every part).
 */
@TypeInfo(FanOut.Info.class)
public record FanOut(int lookups, String after, Trace trace) {
    public static final class Serializer extends CompactSerializer<FanOut> {
        @Override
        protected void write(FanOut fanOut, DataOutputView out) throws IOException {
            out.writeInt(fanOut.lookups);
            Codec.writeString(fanOut.after, out);
            Trace.write(fanOut.trace, out);
        }

        @Override
        protected FanOut read(DataInputView in) throws IOException {
            return new FanOut(in.readInt(), Codec.readString(in), Trace.read(in));
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<FanOut> {
        public Info() {
            super(FanOut.class, Serializer::new, false);
        }
    }
}
