package io.datasync.job.deadletter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record the pipeline could not use, with why and where it came from: the raw key and value as
 * read, the reason, the stage that gave up, the source topic/partition/offset when known, and the
 * correlation ID. Written as JSON to the dead-letter topic; never carries credentials.
 */
public record DeadLetter(
        String stage, String reason, String topic, int partition, long offset, String key, String value, String correlationId, long atMillis) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static DeadLetter ofRaw(String stage, String reason, String topic, int partition, long offset, byte[] key, byte[] value) {
        return new DeadLetter(stage, reason, topic, partition, offset, text(key), text(value), null, System.currentTimeMillis());
    }

    public byte[] toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stage", stage);
        json.put("reason", reason);
        json.put("topic", topic);
        json.put("partition", partition);
        json.put("offset", offset);
        json.put("key", key);
        json.put("value", value);
        json.put("correlation_id", correlationId);
        json.put("at", java.time.Instant.ofEpochMilli(atMillis).toString());
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a dead letter", e);
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
