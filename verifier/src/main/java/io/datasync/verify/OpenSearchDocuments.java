package io.datasync.verify;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Reads every document of an index (or alias) with the scroll API. */
final class OpenSearchDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DOCUMENT = new TypeReference<>() {};

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    OpenSearchDocuments(String baseUrl, String username, String password) {
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.authorization = username == null || password == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Makes recent writes searchable before reading. */
    void refresh(String index) throws IOException, InterruptedException {
        send("POST", "/" + index + "/_refresh", null);
    }

    /** How many documents the index (or alias) holds, as last refreshed. */
    long count(String index) throws IOException, InterruptedException {
        return send("GET", "/" + index + "/_count", null).path("count").asLong();
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
        JsonNode page = send("POST", "/" + index + "/_search?scroll=2m", "{\"size\": 5000, \"sort\": [\"_doc\"]}");
        String scrollId = page.path("_scroll_id").asText();
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    if (documents.put(hit.path("_id").asText(), JSON.convertValue(hit.path("_source"), DOCUMENT)) != null) {
                        surplus.merge(hit.path("_id").asText(), 1, Integer::sum);
                    }
                }
                onPage.accept(documents.size() + surplus.values().stream().mapToLong(Integer::longValue).sum());
                page = send("POST", "/_search/scroll", "{\"scroll\": \"2m\", \"scroll_id\": \"" + scrollId + "\"}");
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            send("DELETE", "/_search/scroll", "{\"scroll_id\": \"" + scrollId + "\"}");
        }
        return new Documents(documents, surplus);
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300 && !"DELETE".equals(method)) {
            throw new IOException(method + " " + path + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
