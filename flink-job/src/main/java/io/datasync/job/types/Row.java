package io.datasync.job.types;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A row, or a part of one, as its canonical JSON object: column names in the table's order and
 * values already converted for documents (ISO-8601 timestamps, decimals as numbers, JSON and
 * arrays as their text). Generic over the schema (a column added to a table simply appears) and
 * compact: the bytes travel and sit in state as they are, and a document is written by copying
 * them. The few values the job computes on (keys, aggregate inputs) are read from the bytes with a
 * streaming parser when needed.
 */
@TypeInfo(Row.Info.class)
public final class Row {
    static final JsonFactory JSON = JsonFactory.builder().build();
    public static final Row EMPTY = new Row("{}".getBytes(StandardCharsets.UTF_8));

    private final byte[] json;

    private Row(byte[] json) {
        this.json = json;
    }

    /** A row from JSON bytes that are a JSON object (the job's own encoding; not checked). */
    public static Row ofJson(byte[] json) {
        return new Row(json);
    }

    /** A row of these values, in the map's order (String, Number, Boolean or null). */
    public static Row of(Map<String, ?> values) {
        return write(generator -> {
            for (Map.Entry<String, ?> column : values.entrySet()) {
                generator.writeFieldName(column.getKey());
                writeValue(generator, column.getValue());
            }
        });
    }

    /** The factory every row is read and written with. */
    public static JsonFactory jsonFactory() {
        return JSON;
    }

    public byte[] json() {
        return json;
    }

    /** The value of a column: String, Long, BigInteger, BigDecimal, Boolean, or null (also when absent). */
    public Object get(String column) {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = column.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    return scalar(parser, value);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("a row is not valid JSON: " + this, e);
        }
    }

    /** The value of a column as text (a key or foreign key), or null. */
    public String text(String column) {
        Object value = get(column);
        return value == null ? null : value.toString();
    }

    /**
     * The named columns, in the order given; absent ones as null. Built by copying each value's
     * bytes from this row (its JSON is compact: written by the job's generator), with no generator
     * per row: projections run for every change and relation, and a generator each was 6% of the
     * job's CPU in a profile.
     */
    public Row project(List<String> columns) {
        if (columns.isEmpty()) {
            return EMPTY;
        }
        int[] ranges = valueRanges(columns);
        byte[][] names = new byte[columns.size()][];
        int size = 1;
        for (int i = 0; i < columns.size(); i++) {
            names[i] = quotedName(columns.get(i));
            int start = ranges[2 * i];
            size += names[i].length + 2 + (start < 0 ? NULL.length : ranges[2 * i + 1] - start);
        }
        byte[] projected = new byte[size];
        int at = 0;
        projected[at++] = '{';
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                projected[at++] = ',';
            }
            System.arraycopy(names[i], 0, projected, at, names[i].length);
            at += names[i].length;
            projected[at++] = ':';
            int start = ranges[2 * i];
            int length = start < 0 ? NULL.length : ranges[2 * i + 1] - start;
            System.arraycopy(start < 0 ? NULL : json, Math.max(start, 0), projected, at, length);
            at += length;
        }
        projected[at] = '}';
        return new Row(projected);
    }

    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private static final ConcurrentHashMap<String, byte[]> QUOTED_NAMES = new ConcurrentHashMap<>();

    /** {@code "name"} as JSON bytes, escaped; column names are few, so each is encoded once. */
    static byte[] quotedName(String name) {
        return QUOTED_NAMES.computeIfAbsent(name, n -> {
            byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(n);
            byte[] quoted = new byte[escaped.length + 2];
            quoted[0] = '"';
            System.arraycopy(escaped, 0, quoted, 1, escaped.length);
            quoted[quoted.length - 1] = '"';
            return quoted;
        });
    }

    /**
     * For each column asked for, where its value lies in this row's bytes: start and end (exclusive)
     * at {@code 2i} and {@code 2i + 1}; -1 when the row does not have it.
     */
    private int[] valueRanges(List<String> columns) {
        int[] ranges = new int[2 * columns.size()];
        Arrays.fill(ranges, -1);
        forEachField((name, start, end) -> {
            int wanted = columns.indexOf(name);
            if (wanted >= 0 && ranges[2 * wanted] < 0) {
                ranges[2 * wanted] = start;
                ranges[2 * wanted + 1] = end;
            }
        });
        return ranges;
    }

    /** Where a field's value lies in a row's bytes. */
    @FunctionalInterface
    public interface FieldRange {
        void accept(String name, int start, int end) throws IOException;
    }

    /** Each field in order: its name and where its value lies in {@link #json()} (start, end exclusive). */
    public void forEachField(FieldRange visitor) {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                int start = (int) parser.currentTokenLocation().getByteOffset();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                } else {
                    parser.finishToken(); // a string is read lazily: to its closing quote now
                }
                int end = (int) parser.currentLocation().getByteOffset();
                while (end > start && Character.isWhitespace(json[end - 1])) {
                    end--;
                }
                visitor.accept(name, start, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a row is not valid JSON: " + this, e);
        }
    }

    /** Column names in order. */
    public List<String> columns() {
        List<String> names = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                names.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a row is not valid JSON: " + this, e);
        }
        return names;
    }

    /** Every column with its value (as {@link #get}); containers stay JSON text. */
    public Map<String, Object> toMap() {
        Map<String, Object> values = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                values.put(name, scalar(parser, parser.nextToken()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a row is not valid JSON: " + this, e);
        }
        return values;
    }

    private static Object scalar(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> textOf(parser);
        };
    }

    /** The current value (scalar or container) as JSON text, numbers exactly as written. */
    public static String textOf(JsonParser parser) throws IOException {
        return new String(copyOf(parser), StandardCharsets.UTF_8);
    }

    /** The current value (scalar or container) as JSON bytes, numbers exactly as written. */
    static byte[] copyOf(JsonParser parser) throws IOException {
        ByteArrayBuilder bytes = new ByteArrayBuilder(64);
        try (JsonGenerator generator = JSON.createGenerator(bytes)) {
            copyValue(parser, generator);
        }
        return bytes.toByteArray();
    }

    /** Copies the parser's current value; numbers keep their text (Jackson's own copy turns decimals into doubles). */
    public static void copyValue(JsonParser parser, JsonGenerator generator) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                generator.writeStartObject();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    generator.writeFieldName(parser.currentName());
                    parser.nextToken();
                    copyValue(parser, generator);
                }
                generator.writeEndObject();
            }
            case START_ARRAY -> {
                generator.writeStartArray();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    copyValue(parser, generator);
                }
                generator.writeEndArray();
            }
            case VALUE_STRING -> generator.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
            case VALUE_TRUE -> generator.writeBoolean(true);
            case VALUE_FALSE -> generator.writeBoolean(false);
            case VALUE_NULL -> generator.writeNull();
            default -> throw new IOException("unexpected JSON token " + parser.currentToken());
        }
    }

    public static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigDecimal decimal) {
            generator.writeNumber(decimal.toPlainString());
        } else if (value instanceof BigInteger integer) {
            generator.writeNumber(integer);
        } else if (value instanceof Number number) {
            generator.writeNumber(number.doubleValue());
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Row row) {
            generator.writeRawValue(row.toString());
        } else {
            generator.writeString(value.toString());
        }
    }

    /** A value's JSON as {@link #writeValue} writes it. */
    static byte[] valueJson(Object value) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(32);
        try (JsonGenerator generator = JSON.createGenerator(bytes)) {
            writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a value", e);
        }
        return bytes.toByteArray();
    }

    /** Fields written inside one JSON object. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator generator) throws IOException;
    }

    public static Row write(Fields fields) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(128);
        try (JsonGenerator generator = JSON.createGenerator(bytes)) {
            generator.writeStartObject();
            fields.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a row", e);
        }
        return new Row(bytes.toByteArray());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Row row && Arrays.equals(json, row.json);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(json);
    }

    @Override
    public String toString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    static void writeTo(Row row, DataOutputView out) throws IOException {
        out.writeInt(row.json.length);
        out.write(row.json);
    }

    static Row readFrom(DataInputView in) throws IOException {
        byte[] json = new byte[in.readInt()];
        in.readFully(json);
        return new Row(json);
    }

    public static final class Serializer extends CompactSerializer<Row> {
        @Override
        protected void write(Row row, DataOutputView out) throws IOException {
            writeTo(row, out);
        }

        @Override
        protected Row read(DataInputView in) throws IOException {
            return readFrom(in);
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<Row> {
        public Info() {
            super(Row.class, Serializer::new, false);
        }
    }
}
