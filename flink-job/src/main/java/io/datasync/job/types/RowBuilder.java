package io.datasync.job.types;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.util.List;

/**
 * A JSON object made by splicing bytes: values that are rows (the job's compact JSON) or ranges of
 * a row's bytes go in as they are, with no parser or generator per value. Documents, array elements
 * and arrays are made this way on every change; copying them token by token through Jackson was a
 * sixth of the job's samples in a profile.
 */
public final class RowBuilder {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private final ByteArrayBuilder bytes;
    private boolean first = true;

    /** {@code expectedSize}: the bytes the object will likely take (its buffer grows if not). */
    public RowBuilder(int expectedSize) {
        bytes = new ByteArrayBuilder(Math.max(16, expectedSize));
        bytes.append('{');
    }

    /** {@code "name":} and the row's JSON, or {@code null}. */
    public RowBuilder field(String name, Row value) {
        name(name);
        bytes.write(value == null ? NULL : value.json());
        return this;
    }

    /** {@code "name":} and the JSON value at {@code json[start, end)}. */
    public RowBuilder field(String name, byte[] json, int start, int end) {
        name(name);
        bytes.write(json, start, end - start);
        return this;
    }

    /** {@code "name":} and a value as {@link Row#writeValue} writes it. */
    public RowBuilder value(String name, Object value) {
        name(name);
        bytes.write(value == null ? NULL : value instanceof Row row ? row.json() : Row.valueJson(value));
        return this;
    }

    /** {@code "name":} and an array of the rows' JSON, in order. */
    public RowBuilder array(String name, List<Row> elements) {
        name(name);
        bytes.append('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                bytes.append(',');
            }
            bytes.write(elements.get(i).json());
        }
        bytes.append(']');
        return this;
    }

    /** Every field of the row's object, as they are. */
    public RowBuilder fieldsOf(Row row) {
        byte[] json = row.json();
        int start = 0;
        int end = json.length;
        while (start < end && json[start] != '{') {
            start++;
        }
        start++;
        while (end > start && json[end - 1] != '}') {
            end--;
        }
        end--;
        while (start < end && isWhitespace(json[start])) {
            start++;
        }
        while (end > start && isWhitespace(json[end - 1])) {
            end--;
        }
        if (start < end) {
            separate();
            bytes.write(json, start, end - start);
        }
        return this;
    }

    public Row build() {
        bytes.append('}');
        return Row.ofJson(bytes.toByteArray());
    }

    private void name(String name) {
        separate();
        bytes.write(Row.quotedName(name));
        bytes.append(':');
    }

    private void separate() {
        if (!first) {
            bytes.append(',');
        }
        first = false;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
