package io.datasync.job.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The NDJSON body of a {@code _bulk} request: per entry an action line, written with Jackson so
 * that index names and ids are escaped, then for an index action the source bytes as they are
 * (encoded once upstream, never parsed again). Every action carries its external version.
 */
final class BulkBody {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte NEWLINE = '\n';

    private BulkBody() {}

    static byte[] encode(List<BulkEntry> entries) {
        long size = 0;
        for (BulkEntry entry : entries) {
            size += sizeOf(entry);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
        for (BulkEntry entry : entries) {
            body.writeBytes(actionLine(entry));
            body.write(NEWLINE);
            if (!entry.isDelete()) {
                body.writeBytes(entry.source());
                body.write(NEWLINE);
            }
        }
        return body.toByteArray();
    }

    /** The bytes this entry adds to a bulk body: what the sink's byte limits count. */
    static long sizeOf(BulkEntry entry) {
        return actionLine(entry).length + 1L + (entry.isDelete() ? 0 : entry.source().length + 1L);
    }

    static byte[] actionLine(BulkEntry entry) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(96 + entry.index().length() + entry.id().length());
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeObjectFieldStart(entry.isDelete() ? "delete" : "index");
            json.writeStringField("_index", entry.index());
            json.writeStringField("_id", entry.id());
            json.writeNumberField("version", entry.version());
            json.writeStringField("version_type", "external");
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the bulk action of " + entry.trace(), e);
        }
        return line.toByteArray();
    }
}
