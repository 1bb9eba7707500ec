package io.datasync.verify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.sink.OpenSearchHttp;
import io.datasync.job.sink.OpenSearchSettings;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads every document of an index (or alias) with the scroll API, or some by id. */
final class OpenSearchDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {};

    /** Ten copies of each at most per search (a search answers 10,000 hits by default). */
    private static final int IDS_PER_REQUEST = 1_000;

    private final OpenSearchSettings settings;

    OpenSearchDocuments(String baseUrl, String username, String password) {
        this.settings = new OpenSearchSettings(java.net.URI.create(baseUrl), java.util.Optional.ofNullable(username), java.util.Optional.ofNullable(password));
    }

    /** Makes recent writes searchable before reading. */
    void refresh(String index) throws IOException, InterruptedException {
        try (OpenSearchHttp openSearch = new OpenSearchHttp(settings)) {
            send(openSearch, "POST", "/" + index + "/_refresh", null);
        }
    }

    /** How many documents the index (or alias) holds, as last refreshed. */
    long count(String index) throws IOException, InterruptedException {
        try (OpenSearchHttp openSearch = new OpenSearchHttp(settings)) {
            return send(openSearch, "GET", "/" + index + "/_count", null).path("count").asLong();
        }
    }

    /** Every document by _id, and the ids read more than once with their surplus copies (an alias over two indexes, say). */
    record Documents(Map<String, Map<String, Object>> byId, Map<String, Integer> surplusCopies) {}

    Documents readAll(String index) throws IOException, InterruptedException {
        return readAll(index, read -> {});
    }

    /** {@code onPage}: the documents read so far, after each page of the scroll. */
    Documents readAll(String index, java.util.function.LongConsumer onPage) throws IOException, InterruptedException {
        Map<String, Map<String, Object>> documents = new HashMap<>();
        Map<String, Integer> surplus = new HashMap<>();
        try (OpenSearchHttp openSearch = new OpenSearchHttp(settings)) {
            return readAll(openSearch, index, onPage, documents, surplus);
        }
    }

    private Documents readAll(OpenSearchHttp openSearch, String index, java.util.function.LongConsumer onPage, Map<String, Map<String, Object>> documents,
                              Map<String, Integer> surplus) throws IOException {
        JsonNode page = send(openSearch, "POST", "/" + index + "/_search?scroll=2m", "{\"size\": 5000, \"sort\": [\"_doc\"]}");
        String scrollId = page.path("_scroll_id").asText();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    if (documents.put(hit.path("_id").asText(), JSON.convertValue(hit.path("_source"), DOCUMENT)) != null) {
                        surplus.merge(hit.path("_id").asText(), 1, Integer::sum);
                    }
                }
                onPage.accept(documents.size() + surplus.values().stream().mapToLong(Integer::longValue).sum());
                page = send(openSearch, "POST", "/_search/scroll", "{\"scroll\": \"2m\", \"scroll_id\": \"" + scrollId + "\"}");
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            send(openSearch, "DELETE", "/_search/scroll", "{\"scroll_id\": \"" + scrollId + "\"}");
        }
        return new Documents(documents, surplus);
    }

    /** The documents with these ids (every copy, for an alias over several indexes), asked for 1,000 ids at a time. */
    Documents readIds(String index, java.util.Collection<String> ids) throws IOException, InterruptedException {
        Map<String, Map<String, Object>> documents = new HashMap<>();
        Map<String, Integer> surplus = new HashMap<>();
        List<String> all = List.copyOf(ids);
        try (OpenSearchHttp openSearch = new OpenSearchHttp(settings)) {
            for (int from = 0; from < all.size(); from += IDS_PER_REQUEST) {
                List<String> batch = all.subList(from, Math.min(all.size(), from + IDS_PER_REQUEST));
                Map<String, Object> query = Map.of("size", batch.size() * 10, "query", Map.of("ids", Map.of("values", batch)));
                for (JsonNode hit : send(openSearch, "POST", "/" + index + "/_search", JSON.writeValueAsString(query)).path("hits").path("hits")) {
                    if (documents.put(hit.path("_id").asText(), JSON.convertValue(hit.path("_source"), DOCUMENT)) != null) {
                        surplus.merge(hit.path("_id").asText(), 1, Integer::sum);
                    }
                }
            }
        }
        return new Documents(documents, surplus);
    }

    private static JsonNode send(OpenSearchHttp openSearch, String method, String path, String body) throws IOException {
        OpenSearchHttp.Answer answer = openSearch.send(method, path, body);
        // A scroll that expired is gone already: deleting it is not an error.
        if (!answer.ok() && !"DELETE".equals(method)) {
            throw new IOException(method + " " + path + " answered HTTP " + answer.statusCode() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }
}
