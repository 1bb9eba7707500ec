package io.datasync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checkpoints of the running jobs, from Flink's REST API ({@code /jobs/<id>/checkpoints}),
 * polled every {@link #POLL_MILLIS} ms for the whole run: the API keeps only the last few in its
 * history ({@code web.checkpoints.history}, 10 by default), fewer than a 12-minute phase takes,
 * so each one is remembered when first seen and again when it completes.
 */
final class FlinkCheckpoints implements AutoCloseable {
    static final long POLL_MILLIS = 15_000;

    /** One checkpoint as the REST API reports it; sizes in bytes, times in epoch milliseconds. */
    record Checkpoint(String job, long id, String status, long triggerMillis, long checkpointedBytes, long stateBytes,
                      long durationMillis) {
        boolean completed() {
            return "COMPLETED".equals(status);
        }

        boolean failed() {
            return "FAILED".equals(status);
        }
    }

    /**
     * The checkpoints triggered within a phase: completed and failed, the largest checkpointed size
     * (what that checkpoint wrote: with the changelog backend only the changes since the last one) and
     * the longest duration; and the full state size of the latest completed checkpoint, per source row.
     */
    record Summary(int completed, int failed, long largestCheckpointedBytes, long longestMillis, Long latestStateBytes, long sourceRows,
                   Double stateBytesPerSourceRow) {
        /** The latest completed checkpoint is taken from the jobs running at the end (not from one cancelled in the phase). */
        static Summary of(Collection<Checkpoint> seen, long fromMillis, long toMillis, Set<String> runningJobs, long sourceRows) {
            List<Checkpoint> inside = seen.stream().filter(c -> c.triggerMillis() >= fromMillis && c.triggerMillis() <= toMillis).toList();
            List<Checkpoint> completed = inside.stream().filter(Checkpoint::completed).toList();
            Checkpoint latest = seen.stream().filter(Checkpoint::completed).filter(c -> runningJobs.contains(c.job()))
                    .max(Comparator.comparingLong(Checkpoint::triggerMillis)).orElse(null);
            Long state = latest == null ? null : latest.stateBytes();
            return new Summary(completed.size(), (int) inside.stream().filter(Checkpoint::failed).count(),
                    completed.stream().mapToLong(Checkpoint::checkpointedBytes).max().orElse(0),
                    completed.stream().mapToLong(Checkpoint::durationMillis).max().orElse(0), state, sourceRows,
                    state == null || sourceRows == 0 ? null : state / (double) sourceRows);
        }
    }

    /** The checkpoints (not savepoints) of a job's {@code /checkpoints} answer: its history and its latest completed one. */
    static List<Checkpoint> parse(String job, JsonNode answer) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<JsonNode> entries = new ArrayList<>();
        answer.path("history").forEach(entries::add);
        entries.add(answer.path("latest").path("completed"));
        for (JsonNode entry : entries) {
            if (entry.isObject() && entry.has("id") && !entry.path("is_savepoint").asBoolean(false)) {
                checkpoints.add(new Checkpoint(job, entry.path("id").asLong(), entry.path("status").asText(),
                        entry.path("trigger_timestamp").asLong(), entry.path("checkpointed_size").asLong(),
                        entry.path("state_size").asLong(), entry.path("end_to_end_duration").asLong()));
            }
        }
        return checkpoints;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String flinkUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Checkpoint> seen = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Polls {@code flinkUrl} (the JobManager's REST API) until closed; a cluster that does not answer is simply not polled. */
    FlinkCheckpoints(String flinkUrl) {
        this.flinkUrl = flinkUrl;
        this.thread = new Thread(this::loop, "checkpoint-poller");
        thread.setDaemon(true);
        thread.start();
    }

    /** Polls now (the end of a phase), then summarizes the phase. */
    Summary summary(long fromMillis, long toMillis, long sourceRows) {
        return Summary.of(seen.values(), fromMillis, toMillis, poll(), sourceRows);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }

    private void loop() {
        while (running) {
            poll();
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records what the running jobs report; returns their ids. */
    private synchronized Set<String> poll() {
        Set<String> running = new HashSet<>();
        try {
            for (JsonNode job : get("/jobs/overview").path("jobs")) {
                if ("RUNNING".equals(job.path("state").asText())) {
                    String id = job.path("jid").asText();
                    running.add(id);
                    // A later sighting replaces an earlier one: IN_PROGRESS becomes COMPLETED or FAILED.
                    parse(id, get("/jobs/" + id + "/checkpoints")).forEach(c -> seen.put(id + "/" + c.id(), c));
                }
            }
        } catch (Exception unreachable) {
            // the JobManager restarting, or no Flink at all: nothing to record this time
        }
        return running;
    }

    private JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(flinkUrl + path)).timeout(Duration.ofSeconds(10)).build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
