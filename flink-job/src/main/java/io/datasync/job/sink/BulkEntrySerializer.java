package io.datasync.job.sink;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * The sink's checkpointed buffer: each waiting action field by field (no Kryo, no Java
 * serialization). Strings and the source are length-prefixed, -1 standing for null; the retry
 * budget is not written (a restored action starts afresh).
 */
final class BulkEntrySerializer extends AsyncSinkWriterStateSerializer<BulkEntry> {
    static final int VERSION = 1;

    @Override
    protected void serializeRequestToStream(BulkEntry entry, DataOutputStream out) throws IOException {
        writeString(out, entry.index());
        writeString(out, entry.id());
        writeBytes(out, entry.source());
        out.writeLong(entry.version());
        out.writeLong(entry.commitMillis());
        writeString(out, entry.correlationId());
    }

    @Override
    protected BulkEntry deserializeRequestFromStream(long requestSize, DataInputStream in) throws IOException {
        String index = readString(in);
        String id = readString(in);
        byte[] source = readBytes(in);
        long version = in.readLong();
        long commitMillis = in.readLong();
        String correlationId = readString(in);
        return new BulkEntry(index, id, source, version, commitMillis, correlationId, System.currentTimeMillis(), 0);
    }

    @Override
    public int getVersion() {
        return VERSION;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = readBytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < -1) {
            throw new IOException("corrupt sink state: length " + length);
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
