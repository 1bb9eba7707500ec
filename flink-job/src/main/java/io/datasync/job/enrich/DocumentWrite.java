package io.datasync.job.enrich;

import java.util.Map;

/**
 * One write to OpenSearch: index or delete document {@code id} of {@code index} (the concrete,
 * versioned index) with external version {@code version}. {@code document} is null for a delete.
 */
public record DocumentWrite(String index, String id, Map<String, Object> document, long version, long commitMillis, String correlationId) {
    public boolean isDelete() {
        return document == null;
    }
}
