package io.datasync.job.normalize;

import java.util.Map;

/**
 * A change as a before/after pair of whole rows (Flink SQL's changelog model): {@code before} null
 * for an insert, {@code after} null for a delete. Built from the last row seen for the key, so
 * it never depends on Debezium's before-image, which the default replica identity leaves empty.
 */
public record RowDelta(
        String table,
        String key,
        Map<String, Object> before,
        Map<String, Object> after,
        long lsn,
        long commitMillis,
        String correlationId) {

    public boolean isDelete() {
        return after == null;
    }
}
