package io.datasync.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's own metrics from Flink's REST API, each summed and maxed over every operator and subtask
 * that reports it (Flink refreshes them every few seconds). Metric ids there carry the operator's
 * name ({@code Assemble_documents.documentsAssembled}); these are asked for by the last part.
 */
final class FlinkJobMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String flinkUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    FlinkJobMetrics(String flinkUrl) {
        this.flinkUrl = flinkUrl.replaceAll("/$", "");
    }

    /** One metric over the whole job: the sum and the largest value of every subtask that reports it. */
    record Aggregate(double sum, double max) {
        Aggregate plus(Aggregate other) {
            return new Aggregate(sum + other.sum, Math.max(max, other.max));
        }
    }

    /** Each of {@code names} over the whole job, in one pass over its vertices (absent: nothing reports it yet). */
    Map<String, Aggregate> read(String jobId, Set<String> names) throws Exception {
        Map<String, Aggregate> values = new HashMap<>();
        String base = flinkUrl + "/jobs/" + jobId;
        for (JsonNode vertex : get(base).path("vertices")) {
            String vertexUrl = base + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            List<String> ids = new ArrayList<>();
            for (JsonNode metric : get(vertexUrl)) {
                String id = metric.path("id").asText();
                if (names.contains(id.substring(id.lastIndexOf('.') + 1))) {
                    ids.add(id);
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            for (JsonNode metric : get(vertexUrl + "?agg=sum,max&get=" + URLEncoder.encode(String.join(",", ids), StandardCharsets.UTF_8))) {
                String id = metric.path("id").asText();
                values.merge(id.substring(id.lastIndexOf('.') + 1), new Aggregate(metric.path("sum").asDouble(), metric.path("max").asDouble()),
                        Aggregate::plus);
            }
        }
        return values;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
