package io.datasync.job.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.spec.SyncSpec;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Debezium JSON records (with or without embedded schemas) into {@link RowChange}s. Pure:
 * no Flink, no I/O. Every op is mapped explicitly; anything else is rejected with a reason.
 */
public final class DebeziumDecoder implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> tablesByTopic;

    public DebeziumDecoder(SyncSpec spec) {
        // Built once: decode runs for every record.
        this.tablesByTopic = spec.tablesByTopic();
    }

    public Decoded decode(RawRecord record) {
        if (record.topic().startsWith("__debezium-heartbeat") || record.topic().endsWith(".debezium_heartbeat")) {
            return new Decoded.Ignored("heartbeat");
        }
        if (record.topic().endsWith(".transaction")) {
            return new Decoded.Ignored("transaction metadata");
        }
        Optional<String> table = Optional.ofNullable(tablesByTopic.get(record.topic()));
        if (table.isEmpty()) {
            return new Decoded.Rejected("topic " + record.topic() + " carries no table of the sync spec");
        }
        if (record.value() == null) {
            return new Decoded.Ignored("tombstone");
        }
        JsonNode value;
        JsonNode key;
        try {
            // From the bytes: Jackson's UTF-8 decoder rejects invalid sequences instead of replacing them.
            value = JSON.readTree(record.value());
            key = record.key() == null ? null : JSON.readTree(record.key());
        } catch (JsonProcessingException e) {
            return new Decoded.Rejected("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            return new Decoded.Rejected("malformed JSON: " + e.getMessage());
        }
        if (value == null || !value.isObject()) {
            return new Decoded.Rejected("not a Debezium envelope: the value is not a JSON object");
        }
        Envelope envelope = Envelope.of(value);
        JsonNode payload = envelope.payload();
        String claimedTable = payload.path("source").path("table").asText(table.get());
        if (!claimedTable.equals(table.get())) {
            // Written by something other than this topic's connector (or routed here by mistake): not this table's row.
            return new Decoded.Rejected("unknown table: the event's source.table '" + claimedTable + "' is not '" + table.get() + "', the table of topic "
                    + record.topic());
        }
        String op = payload.path("op").asText("");
        long lsn = payload.path("source").path("lsn").asLong(0);
        long commitMillis = payload.path("source").path("ts_ms").asLong(payload.path("ts_ms").asLong(0));
        try {
            return decodeOp(op, table.get(), key, envelope, lsn, commitMillis, record);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return new Decoded.Rejected("a column value cannot be converted: " + e.getMessage());
        }
    }

    private Decoded decodeOp(String op, String table, JsonNode key, Envelope envelope, long lsn, long commitMillis, RawRecord record) {
        return switch (op) {
            case "r", "c", "u" -> upsert(table, key, envelope, lsn, commitMillis, record);
            case "d" -> delete(table, key, envelope, lsn, commitMillis, record);
            case "t" -> new Decoded.Change(new RowChange(table, null, RowChange.Op.TRUNCATE, null, lsn, commitMillis, false, record.origin()));
            case "m" -> new Decoded.Ignored("logical decoding message");
            case "" -> new Decoded.Rejected("not a Debezium envelope: no op");
            default -> new Decoded.Rejected("unknown op '" + op + "'");
        };
    }

    private Decoded upsert(String table, JsonNode key, Envelope envelope, long lsn, long commitMillis, RawRecord record) {
        JsonNode after = envelope.payload().path("after");
        if (!after.isObject()) {
            return new Decoded.Rejected("op " + envelope.payload().path("op").asText() + " without an 'after' row");
        }
        Map<String, Object> row = envelope.row("after");
        Optional<String> problem = keyProblem(key, after);
        if (problem.isPresent()) {
            return new Decoded.Rejected(problem.get());
        }
        Optional<String> id = documentId(key, row);
        if (id.isEmpty()) {
            return new Decoded.Rejected("missing key");
        }
        return new Decoded.Change(new RowChange(table, id.get(), RowChange.Op.UPSERT, row, lsn, commitMillis,
                "r".equals(envelope.payload().path("op").asText()), record.origin()));
    }

    private Decoded delete(String table, JsonNode key, Envelope envelope, long lsn, long commitMillis, RawRecord record) {
        // With the default replica identity only the key of 'before' is real; the rest is invented.
        Map<String, Object> before = envelope.payload().path("before").isObject() ? envelope.row("before") : Map.of();
        Optional<String> id = documentId(key, before);
        if (id.isEmpty()) {
            return new Decoded.Rejected("missing key");
        }
        return new Decoded.Change(new RowChange(table, id.get(), RowChange.Op.DELETE, null, lsn, commitMillis, false, record.origin()));
    }

    /**
     * Why a key that has columns cannot name this row: a column holding an object or array, or a
     * value the row's own column contradicts (compared as written, before any conversion: the key
     * and the row come from the same converter).
     */
    private static Optional<String> keyProblem(JsonNode key, JsonNode after) {
        JsonNode columns = key == null ? null : (key.has("payload") && key.has("schema") ? key.get("payload") : key);
        if (columns == null || !columns.isObject()) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            JsonNode value = column.getValue();
            if (value.isContainerNode()) {
                return Optional.of("wrong type: key column " + column.getKey() + " holds a JSON " + (value.isArray() ? "array" : "object") + ", not a value");
            }
            JsonNode inRow = after.get(column.getKey());
            if (inRow != null && inRow.isValueNode() && !inRow.isNull() && !value.isNull() && !inRow.asText().equals(value.asText())) {
                return Optional.of("the key (" + column.getKey() + "=" + value.asText() + ") disagrees with the row's " + column.getKey() + " ("
                        + inRow.asText() + ")");
            }
        }
        return Optional.empty();
    }

    /** The record key's column values, in key order, joined by '|' when the key has several columns. */
    private static Optional<String> documentId(JsonNode key, Map<String, Object> row) {
        JsonNode columns = key == null ? null : (key.has("payload") && key.has("schema") ? key.get("payload") : key);
        if (columns == null || !columns.isObject() || columns.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder id = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            JsonNode value = it.next().getValue();
            if (value == null || value.isNull()) {
                return Optional.empty();
            }
            id.append(id.isEmpty() ? "" : "|").append(value.asText());
        }
        return Optional.of(id.toString());
    }

    /** The envelope, unwrapped from {schema, payload} when the converter embeds schemas. */
    record Envelope(JsonNode payload, JsonNode schema) {
        static Envelope of(JsonNode value) {
            return value.has("schema") && value.has("payload")
                    ? new Envelope(value.get("payload"), value.get("schema"))
                    : new Envelope(value, null);
        }

        Map<String, Object> row(String side) {
            JsonNode row = payload.get(side);
            JsonNode rowSchema = schema == null ? null : fieldSchema(schema, side);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> column = it.next();
                JsonNode columnSchema = rowSchema == null ? null : fieldSchema(rowSchema, column.getKey());
                values.put(column.getKey(), ValueConverter.convert(column.getValue(), columnSchema));
            }
            return values;
        }

        private static JsonNode fieldSchema(JsonNode struct, String field) {
            for (JsonNode candidate : struct.path("fields")) {
                if (field.equals(candidate.path("field").asText())) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
