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

    /**
     * Reads what {@link #writeString} (or Flink's {@link StringValue}) wrote. Not StringValue's reader:
     * it looks up a per-thread buffer on every string, and that lookup was 3.5% of the job's samples
     * in a profile (the task threads' ThreadLocal maps are crowded).
     */
    public static String readString(DataInputView in) throws IOException {
        int length = readVarint(in);
        if (length == 0) {
            return null;
        }
        length--;
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) readVarint(in);
        }
        return new String(chars);
    }

    private static int readVarint(DataInputView in) throws IOException {
        int value = in.readUnsignedByte();
        if (value < HIGH_BIT) {
            return value;
        }
        value &= HIGH_BIT - 1;
        for (int shift = 7; ; shift += 7) {
            int next = in.readUnsignedByte();
            if (next < HIGH_BIT) {
                return value | next << shift;
            }
            value |= (next & (HIGH_BIT - 1)) << shift;
        }
    }

    /** A name from the sync spec, shared: the heap holds one copy however many keys carry it. */
    public static String readName(DataInputView in) throws IOException {
        String name = readString(in);
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
