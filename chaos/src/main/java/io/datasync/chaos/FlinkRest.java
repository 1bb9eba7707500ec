package io.datasync.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The Flink REST calls the chaos run needs: the running sync job, its checkpoints and how its tasks came back. */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB_NAME = "data-sync-opensearch";

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkRest(String url) {
        this.url = url;
    }

    /** The sync job in a non-terminal state, if the cluster answers and has one. */
    Optional<String> job() {
        try {
            for (JsonNode job : get("/jobs/overview").path("jobs")) {
                String state = job.path("state").asText();
                if (JOB_NAME.equals(job.path("name").asText()) && !state.equals("FINISHED") && !state.equals("CANCELED") && !state.equals("FAILED")) {
                    return Optional.of(job.path("jid").asText());
                }
            }
        } catch (Exception e) {
            // the JobManager is down or restarting
        }
        return Optional.empty();
    }

    long completedCheckpoints(String jobId) {
        try {
            return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong(0);
        } catch (Exception e) {
            return 0;
        }
    }

    /** The job's restore since {@code sinceMillis}, once all its subtasks run again (see {@link Restore#of}). */
    Optional<Restore> restoredSince(String jobId, long sinceMillis) {
        try {
            JsonNode job = get("/jobs/" + jobId);
            Map<String, JsonNode> times = new HashMap<>();
            for (JsonNode vertex : job.path("vertices")) {
                String id = vertex.path("id").asText();
                times.put(id, get("/jobs/" + jobId + "/vertices/" + id + "/subtasktimes"));
            }
            return Restore.of(job, times, sinceMillis);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The checkpoint the job was restored from since {@code sinceMillis} and its in-flight data (see {@link RestoredCheckpoint}). */
    Optional<RestoredCheckpoint> restoredCheckpoint(String jobId, long sinceMillis) {
        try {
            var id = RestoredCheckpoint.restoredId(get("/jobs/" + jobId + "/checkpoints"), sinceMillis);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            JsonNode job = get("/jobs/" + jobId);
            Map<String, JsonNode> details = new HashMap<>();
            for (JsonNode vertex : job.path("vertices")) {
                String vertexId = vertex.path("id").asText();
                details.put(vertexId, get("/jobs/" + jobId + "/checkpoints/details/" + id.getAsLong() + "/subtasks/" + vertexId));
            }
            return Optional.of(RestoredCheckpoint.of(id.getAsLong(), job, details));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
