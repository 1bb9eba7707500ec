package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The few REST calls the benchmarks make to OpenSearch outside the bulk loads. */
public final class OpenSearchRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    public OpenSearchRest(String url) {
        this.url = url;
    }

    public HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer's JSON body. */
    public JsonNode json(String method, String path, String body) throws Exception {
        return JSON.readTree(send(method, path, body).body());
    }

    /** Documents in an index or alias; 0 while it does not exist. */
    public long count(String index) throws Exception {
        return json("GET", "/" + index + "/_count", null).path("count").asLong(0);
    }
}
