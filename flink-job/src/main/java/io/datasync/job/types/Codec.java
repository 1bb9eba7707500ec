package io.datasync.job.types;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** The pieces the job's serializers are written with: nullable strings and rows, names read back as one shared instance. */
public final class Codec {
    /** Table, index, relation and lookup names: a handful, repeated in millions of keys and values. */
    private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();
    private static final int HIGH_BIT = 0x80;

    private Codec() {}

    /**
     * Flink's {@link StringValue} format (a varint length + 1, then each char as a varint; 0 for
     * null), encoded here and written in one call: StringValue writes byte by byte, which costs a
     * chain of calls per byte on the state changelog's stream (4% of the job's CPU in a profile).
     */
    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.write(0);
            return;
        }
        int length = value.length();
        byte[] bytes = new byte[5 + 3 * length];
        int at = varint(bytes, 0, length + 1);
        for (int i = 0; i < length; i++) {
            at = varint(bytes, at, value.charAt(i));
        }
        out.write(bytes, 0, at);
    }

    private static int varint(byte[] bytes, int at, int value) {
        while (value >= HIGH_BIT) {
            bytes[at++] = (byte) (value | HIGH_BIT);
            value >>>= 7;
        }
        bytes[at++] = (byte) value;
        return at;
    }

    public static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
    }

    /** A name from the sync spec, shared: the heap holds one copy however many keys carry it. */
    public static String readName(DataInputView in) throws IOException {
        String name = StringValue.readString(in);
        return name == null ? null : NAMES.computeIfAbsent(name, n -> n);
    }

    public static void writeRow(Row row, DataOutputView out) throws IOException {
        out.writeBoolean(row != null);
        if (row != null) {
            Row.writeTo(row, out);
        }
    }

    public static Row readRow(DataInputView in) throws IOException {
        return in.readBoolean() ? Row.readFrom(in) : null;
    }

    public static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    public static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
