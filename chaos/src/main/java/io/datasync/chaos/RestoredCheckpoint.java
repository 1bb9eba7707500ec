package io.datasync.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The checkpoint a job was restored from and, per operator and subtask, the in-flight data its unaligned barriers
 * persisted: what each restored subtask reads back and processes before it switches to RUNNING (Flink's checkpoint
 * statistics; empty when the JobManager no longer has them, as after its own restart).
 *
 * @param id the restored checkpoint
 * @param persistedBytes per operator (job vertex name), the in-flight bytes of each subtask, in subtask order
 */
record RestoredCheckpoint(long id, Map<String, List<Long>> persistedBytes) {

    /** Pure: the id of the checkpoint the job was restored from at or after {@code sinceMillis}, from {@code /jobs/:jid/checkpoints}. */
    static OptionalLong restoredId(JsonNode checkpointStats, long sinceMillis) {
        JsonNode restored = checkpointStats.path("latest").path("restored");
        if (!restored.hasNonNull("id") || restored.path("restore_timestamp").asLong(0) < sinceMillis) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(restored.path("id").asLong());
    }

    /**
     * Pure: from {@code /jobs/:jid} and, per vertex id, {@code /jobs/:jid/checkpoints/details/:id/subtasks/:vid} (absent
     * or an error for a checkpoint the statistics no longer hold), each operator's persisted in-flight bytes per subtask.
     */
    static RestoredCheckpoint of(long id, JsonNode job, Map<String, JsonNode> subtaskDetailsByVertex) {
        Map<String, List<Long>> persisted = new LinkedHashMap<>();
        for (JsonNode vertex : job.path("vertices")) {
            JsonNode details = subtaskDetailsByVertex.get(vertex.path("id").asText());
            if (details == null || !details.has("subtasks")) {
                continue;
            }
            List<Long> bytes = new ArrayList<>();
            for (JsonNode subtask : details.path("subtasks")) {
                bytes.add(subtask.path("alignment").path("persisted").asLong(0));
            }
            persisted.put(vertex.path("name").asText(), bytes);
        }
        return new RestoredCheckpoint(id, persisted);
    }

    /** One line for the report: the checkpoint, then the operators that had in-flight data, with each subtask's MiB. */
    String describe() {
        if (persistedBytes.isEmpty()) {
            return "Restored from checkpoint " + id + " (its statistics were no longer held by the JobManager: in-flight data unknown).";
        }
        List<String> withData = persistedBytes.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(b -> b > 0))
                .map(e -> e.getKey() + " " + String.join(" / ", e.getValue().stream().map(RestoredCheckpoint::mebibytes).toList()))
                .toList();
        return "Restored from checkpoint " + id + "; in-flight data persisted by its unaligned barriers (read back and processed before a subtask runs),"
                + " per subtask: " + (withData.isEmpty() ? "none" : String.join("; ", withData) + "; no other operator had any") + ".";
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
