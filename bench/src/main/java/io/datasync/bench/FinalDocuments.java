package io.datasync.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.verify.ExpectedDocuments;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The documents the pipeline must end with, computed by the verifier's SQL, as JSON bytes ready
 * for a bulk request (timestamps as ISO-8601, like the job writes them). Serialized once, before
 * any clock starts: the ceiling measures OpenSearch, not this client.
 */
final class FinalDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One document: its id and its JSON source. */
    record Document(String id, byte[] source) {}

    private FinalDocuments() {}

    static List<Document> of(Connection db, SyncSpec spec, IndexSpec index) throws SQLException {
        Map<String, Map<String, Object>> expected = new TreeMap<>(ExpectedDocuments.of(db, spec, index));
        List<Document> documents = new ArrayList<>(expected.size());
        for (Map.Entry<String, Map<String, Object>> document : expected.entrySet()) {
            documents.add(new Document(document.getKey(), json(jsonReady(document.getValue()))));
        }
        return documents;
    }

    /** The verifier's values (Instant, LocalDate, nested maps, arrays of them) as the job writes them: ISO strings. */
    static Map<String, Object> jsonReady(Map<String, Object> document) {
        Map<String, Object> ready = new LinkedHashMap<>();
        document.forEach((field, value) -> ready.put(field, jsonReadyValue(value)));
        return ready;
    }

    @SuppressWarnings("unchecked")
    private static Object jsonReadyValue(Object value) {
        if (value instanceof Instant || value instanceof LocalDate) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> nested) {
            return jsonReady((Map<String, Object>) nested);
        }
        if (value instanceof List<?> elements) {
            return elements.stream().map(FinalDocuments::jsonReadyValue).toList();
        }
        return value;
    }

    private static byte[] json(Map<String, Object> document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a document", e);
        }
    }
}
