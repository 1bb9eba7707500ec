package io.datasync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/** What a pipeline's past can leave behind, made on purpose: indexes written by a clock ahead of ours, topics whose history retention deleted. */
final class HistoryFaults {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HistoryFaults() {}

    /**
     * Every document of {@code alias} written again at version {@code epoch << 32 | 1}, and {@code epoch}
     * recorded for its concrete index as the job's sink records the epochs it writes.
     */
    static void rewriteAtEpoch(String openSearchUrl, String alias, long epoch) throws Exception {
        JsonNode hits = JSON.readTree(send(openSearchUrl, "POST", "/" + alias + "/_search?size=10000", "{\"query\":{\"match_all\":{}}}"))
                .path("hits").path("hits");
        StringBuilder bulk = new StringBuilder();
        String concrete = null;
        for (JsonNode hit : hits) {
            concrete = hit.path("_index").asText();
            bulk.append("{\"index\":{\"_index\":").append(JSON.writeValueAsString(concrete)).append(",\"_id\":")
                    .append(JSON.writeValueAsString(hit.path("_id").asText())).append(",\"version\":").append(epoch << 32 | 1)
                    .append(",\"version_type\":\"external\"}}\n").append(JSON.writeValueAsString(hit.path("_source"))).append('\n');
        }
        if (concrete == null) {
            throw new AssertionError(alias + " holds no documents to rewrite");
        }
        JsonNode response = JSON.readTree(send(openSearchUrl, "POST", "/_bulk?refresh=true", bulk.toString()));
        if (response.path("errors").asBoolean()) {
            throw new AssertionError("rewriting " + alias + " failed: " + response);
        }
        send(openSearchUrl, "PUT", "/data-sync-epochs/_doc/" + concrete + "?version=" + epoch + "&version_type=external_gte",
                "{\"index\":\"" + concrete + "\",\"epoch\":" + epoch + "}");
    }

    /**
     * Waits until {@code topic} holds a record it did not hold when called (a change just committed),
     * then deletes every record up to its end, as retention would once they are old enough.
     */
    static void expireHistoryAfterNextChange(String bootstrap, String topic, Runnable change, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> before = ends(admin, topic);
            change.run();
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, Long> after = ends(admin, topic);
            while (after.equals(before)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no new record on " + topic + " within " + timeout);
                }
                Thread.sleep(200);
                after = ends(admin, topic);
            }
            admin.deleteRecords(after.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                    e -> RecordsToDelete.beforeOffset(e.getValue())))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()),
                p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static String send(String openSearchUrl, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(openSearchUrl + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new AssertionError(method + " " + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
