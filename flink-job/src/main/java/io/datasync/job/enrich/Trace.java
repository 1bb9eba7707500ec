package io.datasync.job.enrich;

import io.datasync.job.decode.RowChange;
import io.datasync.job.types.Codec;
import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** The source change behind a message: its row (table, key), LSN and commit time. */
public record Trace(String table, String key, long lsn, long commitMillis) {
    public String correlationId() {
        return RowChange.correlationId(table, key, lsn);
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
