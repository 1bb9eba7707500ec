package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Array state's one value per array and parent, read once per change: the children in the array as
 * last sent (best first) with their elements, how many children the parent has, and whether the
 * array waits for the end of Debezium's snapshot (it is then computed once, from all children).
 * The elements are kept here, not only in the elements' map, so that a change reads one value
 * instead of one per element of the array.
 */
@TypeInfo(ArraySummary.Info.class)
public record ArraySummary(List<Member> top, long children, boolean held) {
    public static final ArraySummary NONE = new ArraySummary(List.of(), 0, false);

    /** A child in the array and its element; {@code element} is null only in a summary restored from format 1 (ids only). */
    public record Member(String child, Row element) {}

    public ArraySummary {
        top = List.copyOf(top);
    }

    /** Whether every member's element is here (a summary restored from format 1 has only the ids). */
    public boolean hasElements() {
        return top.stream().allMatch(member -> member.element() != null);
    }

    public List<String> ids() {
        return top.stream().map(Member::child).toList();
    }

    public static final class Serializer extends CompactSerializer<ArraySummary> {
        /** 1: the members' ids; 2: each member's id and element. */
        @Override
        protected int formatVersion() {
            return 2;
        }

        @Override
        protected CompactSerializer<ArraySummary> forFormat(int version) {
            return version == 1 ? new FormatOne() : super.forFormat(version);
        }

        @Override
        protected void write(ArraySummary summary, DataOutputView out) throws IOException {
            ArraySummary.write(summary, out, true);
        }

        @Override
        protected ArraySummary read(DataInputView in) throws IOException {
            return ArraySummary.read(in, true);
        }
    }

    /** Format 1, what builds before format 2 wrote: the ids only (the array state then reads their elements from its map). */
    public static final class FormatOne extends CompactSerializer<ArraySummary> {
        @Override
        protected void write(ArraySummary summary, DataOutputView out) throws IOException {
            ArraySummary.write(summary, out, false);
        }

        @Override
        protected ArraySummary read(DataInputView in) throws IOException {
            return ArraySummary.read(in, false);
        }
    }

    private static void write(ArraySummary summary, DataOutputView out, boolean withElements) throws IOException {
        out.writeInt(summary.top.size());
        for (Member member : summary.top) {
            Codec.writeString(member.child(), out);
            if (withElements) {
                out.writeBoolean(member.element() != null);
                if (member.element() != null) {
                    Codec.writeRow(member.element(), out);
                }
            }
        }
        out.writeLong(summary.children);
        out.writeBoolean(summary.held);
    }

    private static ArraySummary read(DataInputView in, boolean withElements) throws IOException {
        int size = in.readInt();
        List<Member> top = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String child = Codec.readString(in);
            top.add(new Member(child, withElements && in.readBoolean() ? Codec.readRow(in) : null));
        }
        return new ArraySummary(top, in.readLong(), in.readBoolean());
    }

    public static final class Info extends CompactTypeInfo.Factory<ArraySummary> {
        public Info() {
            super(ArraySummary.class, Serializer::new, false);
        }
    }
}
