package io.datasync.job.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.types.Row;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Debezium JSON records (with or without embedded schemas) into {@link RowChange}s. Pure:
 * no Flink, no I/O. Every op is mapped explicitly; anything else is rejected with a reason.
 *
 * <p>Events without schemas (what the shipped connector writes) are read in one pass with Jackson's
 * streaming parser, the {@code after} row copied straight into its canonical JSON ({@link Row}).
 * Events with embedded schemas take the tree path, where the schema converts each value.
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
        String table = tablesByTopic.get(record.topic());
        if (table == null) {
            return new Decoded.Rejected("topic " + record.topic() + " carries no table of the sync spec");
        }
        if (record.value() == null) {
            return new Decoded.Ignored("tombstone");
        }
        try {
            // From the bytes: Jackson's UTF-8 decoder rejects invalid sequences instead of replacing them.
            JsonNode keyColumns = keyColumns(record.key() == null ? null : JSON.readTree(record.key()));
            Envelope envelope = Envelope.read(record.value(), keyColumns);
            if (envelope == null) {
                return new Decoded.Rejected("not a Debezium envelope: the value is not a JSON object");
            }
            if (envelope.wrapped()) {
                envelope = TreeEnvelope.read(JSON.readTree(record.value()), keyColumns);
            }
            return decode(table, keyColumns, envelope, record);
        } catch (JsonProcessingException e) {
            return new Decoded.Rejected("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.UncheckedIOException e) {
            return new Decoded.Rejected("malformed JSON: " + (e.getCause() instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        } catch (IOException e) {
            return new Decoded.Rejected("malformed JSON: " + e.getMessage());
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return new Decoded.Rejected("a column value cannot be converted: " + e.getMessage());
        }
    }

    private Decoded decode(String table, JsonNode keyColumns, Envelope envelope, RawRecord record) {
        String claimedTable = envelope.table() == null ? table : envelope.table();
        if (!claimedTable.equals(table)) {
            // Written by something other than this topic's connector (or routed here by mistake): not this table's row.
            return new Decoded.Rejected("unknown table: the event's source.table '" + claimedTable + "' is not '" + table + "', the table of topic "
                    + record.topic());
        }
        String op = envelope.op() == null ? "" : envelope.op();
        return switch (op) {
            case "r", "c", "u" -> upsert(table, keyColumns, envelope, record);
            case "d" -> documentId(keyColumns).<Decoded>map(id -> new Decoded.Change(RowChange.delete(table, id, envelope.lsn(), envelope.commitMillis(),
                    record.origin()))).orElseGet(() -> new Decoded.Rejected("missing key"));
            case "t" -> new Decoded.Change(RowChange.truncate(table, envelope.lsn(), envelope.commitMillis(), record.origin()));
            case "m" -> new Decoded.Ignored("logical decoding message");
            case "" -> new Decoded.Rejected("not a Debezium envelope: no op");
            default -> new Decoded.Rejected("unknown op '" + op + "'");
        };
    }

    private Decoded upsert(String table, JsonNode keyColumns, Envelope envelope, RawRecord record) {
        if (envelope.after() == null) {
            return new Decoded.Rejected("op " + envelope.op() + " without an 'after' row");
        }
        Optional<String> problem = keyProblem(keyColumns, envelope.keyColumnsInRow());
        if (problem.isPresent()) {
            return new Decoded.Rejected(problem.get());
        }
        Optional<String> id = documentId(keyColumns);
        if (id.isEmpty()) {
            return new Decoded.Rejected("missing key");
        }
        return new Decoded.Change(new RowChange(table, id.get(), RowChange.Op.UPSERT, envelope.after(), envelope.columnsHash(), envelope.lsn(),
                envelope.commitMillis(), "r".equals(envelope.op()), record.origin()));
    }

    /** The record key's columns (unwrapped from {schema, payload}), or null when it has none. */
    private static JsonNode keyColumns(JsonNode key) {
        JsonNode columns = key == null ? null : (key.has("payload") && key.has("schema") ? key.get("payload") : key);
        return columns != null && columns.isObject() ? columns : null;
    }

    /**
     * Why a key that has columns cannot name this row: a column holding an object or array, or a
     * value the row's own column contradicts (compared as written, before any conversion: the key
     * and the row come from the same converter).
     */
    private static Optional<String> keyProblem(JsonNode columns, Map<String, String> keyColumnsInRow) {
        if (columns == null) {
            return Optional.empty();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            JsonNode value = column.getValue();
            if (value.isContainerNode()) {
                return Optional.of("wrong type: key column " + column.getKey() + " holds a JSON " + (value.isArray() ? "array" : "object") + ", not a value");
            }
            String inRow = keyColumnsInRow.get(column.getKey());
            if (inRow != null && !value.isNull() && !inRow.equals(value.asText())) {
                return Optional.of("the key (" + column.getKey() + "=" + value.asText() + ") disagrees with the row's " + column.getKey() + " ("
                        + inRow + ")");
            }
        }
        return Optional.empty();
    }

    /** The record key's column values, in key order, joined by '|' when the key has several columns. */
    private static Optional<String> documentId(JsonNode columns) {
        if (columns == null || columns.isEmpty()) {
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

    /**
     * What decoding needs of an envelope. {@code keyColumnsInRow}: the row's key columns as written
     * (non-null scalars only), to check the record key against; {@code wrapped}: the value embeds a
     * schema, to be read by {@link TreeEnvelope}.
     */
    record Envelope(String op, String table, long lsn, long commitMillis, Row after, int columnsHash, Map<String, String> keyColumnsInRow,
            boolean wrapped) {

        /** One streaming pass; null when the value is not a JSON object. */
        static Envelope read(byte[] value, JsonNode keyColumns) throws IOException {
            try (JsonParser parser = JSON.getFactory().createParser(value)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return null;
                }
                String op = null;
                String table = null;
                long lsn = 0;
                Long sourceMillis = null;
                long millis = 0;
                Row after = null;
                int[] columnsHash = {0};
                Map<String, String> keyInRow = new LinkedHashMap<>();
                boolean schema = false;
                boolean payload = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken token = parser.nextToken();
                    switch (field) {
                        case "after" -> {
                            if (token == JsonToken.START_OBJECT) {
                                after = row(parser, keyColumns, columnsHash, keyInRow);
                            } else {
                                parser.skipChildren();
                            }
                        }
                        case "source" -> {
                            if (token != JsonToken.START_OBJECT) {
                                parser.skipChildren();
                                continue;
                            }
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                String name = parser.currentName();
                                JsonToken sourceValue = parser.nextToken();
                                switch (name) {
                                    case "table" -> table = sourceValue.isScalarValue() ? parser.getValueAsString() : null;
                                    case "lsn" -> lsn = parser.getValueAsLong(0);
                                    case "ts_ms" -> sourceMillis = sourceValue == JsonToken.VALUE_NULL ? null : parser.getValueAsLong(0);
                                    default -> parser.skipChildren();
                                }
                            }
                        }
                        case "op" -> op = token.isScalarValue() && token != JsonToken.VALUE_NULL ? parser.getValueAsString() : null;
                        case "ts_ms" -> millis = parser.getValueAsLong(0);
                        case "schema" -> {
                            schema = true;
                            parser.skipChildren();
                        }
                        case "payload" -> {
                            payload = true;
                            parser.skipChildren();
                        }
                        default -> parser.skipChildren();
                    }
                }
                return new Envelope(op, table, lsn, sourceMillis == null ? millis : sourceMillis, after, columnsHash[0], keyInRow, schema && payload);
            }
        }

        /** The row's canonical JSON: scalars copied as written, JSON objects and arrays kept as their text. */
        private static Row row(JsonParser parser, JsonNode keyColumns, int[] columnsHash, Map<String, String> keyInRow) {
            List<String> names = new ArrayList<>();
            Row row = Row.write(generator -> {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String column = parser.currentName();
                    names.add(column);
                    JsonToken token = parser.nextToken();
                    generator.writeFieldName(column);
                    if (token.isStructStart()) {
                        generator.writeString(Row.textOf(parser));
                    } else {
                        if (keyColumns != null && token != JsonToken.VALUE_NULL && keyColumns.has(column)) {
                            keyInRow.put(column, parser.getText());
                        }
                        Row.copyValue(parser, generator);
                    }
                }
            });
            columnsHash[0] = RowChange.columnsHash(names);
            return row;
        }
    }

    /** Events with embedded schemas: read as a tree, each value converted by its field schema. */
    static final class TreeEnvelope {
        private TreeEnvelope() {}

        static Envelope read(JsonNode value, JsonNode keyColumns) {
            JsonNode payload = value.get("payload");
            JsonNode schema = value.get("schema");
            JsonNode source = payload.path("source");
            String op = payload.path("op").isValueNode() && !payload.path("op").isNull() ? payload.path("op").asText() : null;
            String table = source.path("table").isValueNode() ? source.path("table").asText() : null;
            long commitMillis = source.path("ts_ms").asLong(payload.path("ts_ms").asLong(0));
            JsonNode after = payload.path("after");
            Row row = null;
            int columnsHash = 0;
            Map<String, String> keyInRow = new LinkedHashMap<>();
            if (after.isObject()) {
                JsonNode rowSchema = fieldSchema(schema, "after");
                Map<String, Object> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> column = it.next();
                    JsonNode columnSchema = rowSchema == null ? null : fieldSchema(rowSchema, column.getKey());
                    values.put(column.getKey(), ValueConverter.convert(column.getValue(), columnSchema));
                    if (keyColumns != null && keyColumns.has(column.getKey()) && column.getValue().isValueNode() && !column.getValue().isNull()) {
                        keyInRow.put(column.getKey(), column.getValue().asText());
                    }
                }
                row = Row.of(values);
                columnsHash = RowChange.columnsHash(values.keySet());
            }
            return new Envelope(op, table, source.path("lsn").asLong(0), commitMillis, row, columnsHash, keyInRow, false);
        }

        private static JsonNode fieldSchema(JsonNode struct, String field) {
            if (struct == null) {
                return null;
            }
            for (JsonNode candidate : struct.path("fields")) {
                if (field.equals(candidate.path("field").asText())) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
