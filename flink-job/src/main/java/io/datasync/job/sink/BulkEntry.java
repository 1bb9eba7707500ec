package io.datasync.job.sink;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One bulk action as the async sink buffers, checkpoints and retries it. {@code acceptedMillis} and
 * {@code failures} are the retry budget of this run: they are not checkpointed, a restored entry
 * starts afresh.
 */
record BulkEntry(String index, String id, byte[] source, long version, long commitMillis, String correlationId, long acceptedMillis,
        int failures) implements Serializable {

    BulkEntry {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
    }

    static BulkEntry of(DocumentWrite write, long nowMillis) {
        if (write.index() == null || write.id() == null) {
            // A null id would make OpenSearch invent one: a duplicate document instead of an overwrite.
            throw new IllegalArgumentException("a document write needs an index and an id; correlationId=" + write.correlationId());
        }
        if (write.source() != null && contains(write.source(), (byte) '\n')) {
            // NDJSON: a line break inside the source would split the action. Compact JSON never has one.
            throw new IllegalArgumentException("the source of " + write.index() + "/" + write.id()
                    + " is not compact JSON (it has a line break); correlationId=" + write.correlationId());
        }
        return new BulkEntry(write.index(), write.id(), write.source(), write.version(), write.commitMillis(), write.correlationId(),
                nowMillis, 0);
    }

    boolean isDelete() {
        return source == null;
    }

    /** The same action after one more failed attempt. */
    BulkEntry failedOnce() {
        return new BulkEntry(index, id, source, version, commitMillis, correlationId, acceptedMillis, failures + 1);
    }

    /** The correlation ID, or where the write goes and its version when it carries none. */
    String trace() {
        return correlationId != null ? correlationId : index + ":" + id + "@v" + version;
    }

    String sourceText() {
        return source == null ? null : new String(source, StandardCharsets.UTF_8);
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte each : bytes) {
            if (each == b) {
                return true;
            }
        }
        return false;
    }
}
