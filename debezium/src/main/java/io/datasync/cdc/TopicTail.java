package io.datasync.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** One line per change event for a person watching a topic: what changed and how late. */
final class TopicTail {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicTail() {}

    /**
     * {@code op key (after|before)} and the delay from the source commit ({@code source.ts_ms})
     * to {@code receivedMillis}; tombstones and non-Debezium values are shown as such.
     */
    static String describe(String key, String value, long receivedMillis) {
        if (value == null) {
            return "tombstone key=" + key;
        }
        try {
            JsonNode event = JSON.readTree(value);
            JsonNode envelope = event.has("payload") && event.has("schema") ? event.get("payload") : event;
            String op = envelope.path("op").asText("?");
            JsonNode row = "d".equals(op) ? envelope.path("before") : envelope.path("after");
            long commitMillis = envelope.path("source").path("ts_ms").asLong(0);
            String delay = commitMillis > 0 ? String.format(" (%d ms after commit)", receivedMillis - commitMillis) : "";
            return "op=" + op + " key=" + key + delay + " " + (row.isMissingNode() ? "" : row.toString());
        } catch (IOException e) {
            return "not JSON key=" + key + " value=" + value;
        }
    }
}
