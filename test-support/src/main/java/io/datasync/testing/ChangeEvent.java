package io.datasync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One record read back from a CDC topic: where it was, its raw key and value, and the parsed
 * Debezium envelope (unwrapped from {@code payload} when the converter embeds schemas).
 */
public record ChangeEvent(String topic, int partition, long offset, String key, String value) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean tombstone() {
        return value == null;
    }

    public JsonNode keyJson() {
        return parse(key);
    }

    /** The envelope: before, after, source, op, ts_ms. */
    public JsonNode envelope() {
        JsonNode node = parse(value);
        return node.has("schema") && node.has("payload") ? node.get("payload") : node;
    }

    public String op() {
        return tombstone() ? null : envelope().path("op").asText(null);
    }

    public JsonNode after() {
        return envelope().path("after");
    }

    public JsonNode before() {
        return envelope().path("before");
    }

    public String lsn() {
        return envelope().path("source").path("lsn").asText();
    }

    private static JsonNode parse(String text) {
        if (text == null) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }
}
