package io.datasync.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a job came back after a fault, from Flink's REST API: when the last of its subtasks switched
 * to RUNNING, and per operator (job vertex) the longest time a subtask spent INITIALIZING, which is
 * restoring its state.
 *
 * @param allRunningAtMillis when every subtask was RUNNING again
 * @param restoreMillis per operator, the longest INITIALIZING → RUNNING of its subtasks
 */
record Restore(long allRunningAtMillis, Map<String, Long> restoreMillis) {

    /**
     * Pure: the restore seen in {@code /jobs/:jid} and each vertex's {@code /subtasktimes}, if every
     * subtask is RUNNING in an attempt that started running at or after {@code sinceMillis}; empty
     * while any is not (still restoring, or not yet failed over: the JobManager may report the tasks
     * of a TaskManager it has not yet found lost as RUNNING).
     */
    static Optional<Restore> of(JsonNode job, Map<String, JsonNode> subtaskTimesByVertex, long sinceMillis) {
        long allRunningAt = 0;
        Map<String, Long> restore = new LinkedHashMap<>();
        for (JsonNode vertex : job.path("vertices")) {
            int parallelism = vertex.path("parallelism").asInt();
            if (parallelism == 0 || vertex.path("tasks").path("RUNNING").asInt() != parallelism) {
                return Optional.empty();
            }
            JsonNode times = subtaskTimesByVertex.get(vertex.path("id").asText());
            if (times == null || times.path("subtasks").size() != parallelism) {
                return Optional.empty();
            }
            long longest = 0;
            for (JsonNode subtask : times.path("subtasks")) {
                long running = subtask.path("timestamps").path("RUNNING").asLong(0);
                long initializing = subtask.path("timestamps").path("INITIALIZING").asLong(0);
                if (running < sinceMillis || initializing == 0) {
                    return Optional.empty();
                }
                allRunningAt = Math.max(allRunningAt, running);
                longest = Math.max(longest, running - initializing);
            }
            restore.put(vertex.path("name").asText(), longest);
        }
        return restore.isEmpty() ? Optional.empty() : Optional.of(new Restore(allRunningAt, restore));
    }
}
