package io.datasync.job.enrich;

import io.datasync.job.decode.RowChange;
import io.datasync.job.types.Codec;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The source change behind a message: its row (table, key), LSN and commit time. Kept in a
 * document's state, a key equal to the document's id is left out ({@link #compact}): a million
 * copies of ids saved.
 */
public record Trace(String table, String key, long lsn, long commitMillis) {
    public String correlationId() {
        return RowChange.correlationId(table, key, lsn);
    }

    /** The correlation id of a trace kept by {@link #compact} for document {@code id}. */
    public String correlationId(String id) {
        return RowChange.correlationId(table, key == null ? id : key, lsn);
    }

    /** The trace without its key when the key is the document's id (see {@link #correlationId(String)}). */
    public static Trace compact(Trace trace, String id) {
        return trace == null || !id.equals(trace.key) ? trace : new Trace(trace.table, null, trace.lsn, trace.commitMillis);
    }

    static void write(Trace trace, DataOutputView out) throws IOException {
        Codec.writeString(trace.table, out);
        Codec.writeString(trace.key, out);
        out.writeLong(trace.lsn);
        out.writeLong(trace.commitMillis);
    }

    static Trace read(DataInputView in) throws IOException {
        return new Trace(Codec.readName(in), Codec.readString(in), in.readLong(), in.readLong());
    }
}
