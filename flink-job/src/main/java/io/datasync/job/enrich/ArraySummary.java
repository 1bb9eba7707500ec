package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Array state's one value per array and parent, read once per change: the best children, best first
 * (the array as last sent, then a reserve of as many; a summary written before the reserve has only
 * the array, which is a valid start), with their elements and the values they are ordered by, how
 * many children the parent has, and whether the array waits for the end of Debezium's snapshot (it
 * is then computed once, from all children). The elements are kept here, not only in the elements'
 * map, so that a change reads one value instead of one per element of the array; their ordering
 * values too, so that a change parses only the changed element.
 */
@TypeInfo(ArraySummary.Info.class)
public record ArraySummary(List<Member> top, long children, boolean held) {
    public static final ArraySummary NONE = new ArraySummary(List.of(), 0, false);

    /**
     * A child in the array, its element and the values the array orders it by ({@link TopElements.Element}).
     * {@code element} is null only in a summary restored from format 1 (ids only), {@code sortValues}
     * in one restored from format 1 or 2.
     */
    public record Member(String child, List<Object> sortValues, Row element) {
        public Member {
            sortValues = sortValues == null ? null : Collections.unmodifiableList(new ArrayList<>(sortValues)); // values may be null
        }

        public Member(String child, Row element) {
            this(child, null, element);
        }
    }

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
        /** 1: the members' ids; 2: each member's id and element; 3: each member's id, element and ordering values. */
        @Override
        protected int formatVersion() {
            return 3;
        }

        @Override
        protected CompactSerializer<ArraySummary> forFormat(int version) {
            return switch (version) {
                case 1 -> new Format(1);
                case 2 -> new Format(2);
                default -> super.forFormat(version);
            };
        }

        @Override
        protected void write(ArraySummary summary, DataOutputView out) throws IOException {
            ArraySummary.write(summary, out, 3);
        }

        @Override
        protected ArraySummary read(DataInputView in) throws IOException {
            return ArraySummary.read(in, 3);
        }
    }

    /** An older format, as the builds before wrote it: 1, the ids only; 2, ids and elements. */
    public static final class Format extends CompactSerializer<ArraySummary> {
        private final int version;

        public Format(int version) {
            this.version = version;
        }

        @Override
        protected void write(ArraySummary summary, DataOutputView out) throws IOException {
            ArraySummary.write(summary, out, version);
        }

        @Override
        protected ArraySummary read(DataInputView in) throws IOException {
            return ArraySummary.read(in, version);
        }
    }

    private static final int NULL = 0;
    private static final int NUMBER = 1;
    private static final int FALSE = 2;
    private static final int TRUE = 3;
    private static final int TEXT = 4;

    private static void write(ArraySummary summary, DataOutputView out, int format) throws IOException {
        out.writeInt(summary.top.size());
        for (Member member : summary.top) {
            Codec.writeString(member.child(), out);
            if (format >= 2) {
                out.writeBoolean(member.element() != null);
                if (member.element() != null) {
                    Codec.writeRow(member.element(), out);
                }
            }
            if (format >= 3) {
                writeSortValues(member.sortValues(), out);
            }
        }
        out.writeLong(summary.children);
        out.writeBoolean(summary.held);
    }

    private static ArraySummary read(DataInputView in, int format) throws IOException {
        int size = in.readInt();
        List<Member> top = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String child = Codec.readString(in);
            Row element = format >= 2 && in.readBoolean() ? Codec.readRow(in) : null;
            top.add(new Member(child, format >= 3 ? readSortValues(in) : null, element));
        }
        return new ArraySummary(top, in.readLong(), in.readBoolean());
    }

    /** The ordering values as {@link io.datasync.job.spec.Expression#normalize} gives them: null, a number, a boolean or text. */
    private static void writeSortValues(List<Object> values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.size());
        if (values == null) {
            return;
        }
        for (Object value : values) {
            if (value == null) {
                out.writeByte(NULL);
            } else if (value instanceof BigDecimal number) {
                out.writeByte(NUMBER);
                Codec.writeString(number.toString(), out);
            } else if (value instanceof Boolean bool) {
                out.writeByte(bool ? TRUE : FALSE);
            } else {
                out.writeByte(TEXT);
                Codec.writeString(value.toString(), out);
            }
        }
    }

    private static List<Object> readSortValues(DataInputView in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            return null;
        }
        List<Object> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int kind = in.readByte();
            values.add(switch (kind) {
                case NULL -> null;
                case NUMBER -> new BigDecimal(Codec.readString(in));
                case FALSE -> Boolean.FALSE;
                case TRUE -> Boolean.TRUE;
                case TEXT -> Codec.readString(in);
                default -> throw new IOException("an array summary holds an ordering value of unknown kind " + kind);
            });
        }
        return values;
    }

    public static final class Info extends CompactTypeInfo.Factory<ArraySummary> {
        public Info() {
            super(ArraySummary.class, Serializer::new, false);
        }
    }
}
