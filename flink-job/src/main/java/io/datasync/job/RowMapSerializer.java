package io.datasync.job;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kryo serializer for the rows and documents the job passes around and keeps in state
 * ({@code LinkedHashMap<String, Object>}). Kryo's own map serializer reads every column name
 * back as a new String, so each of the ~3 million maps kept at seed size carried its own copies
 * of the same dozen names; this one interns them, which keeps one copy per name in the heap.
 * Values are written with their class, as before.
 */
public final class RowMapSerializer extends Serializer<LinkedHashMap<String, Object>> implements Serializable {
    @Override
    public void write(Kryo kryo, Output output, LinkedHashMap<String, Object> row) {
        output.writeInt(row.size(), true);
        for (Map.Entry<String, Object> column : row.entrySet()) {
            output.writeString(column.getKey());
            kryo.writeClassAndObject(output, column.getValue());
        }
    }

    @Override
    public LinkedHashMap<String, Object> read(Kryo kryo, Input input, Class<LinkedHashMap<String, Object>> type) {
        int size = input.readInt(true);
        LinkedHashMap<String, Object> row = new LinkedHashMap<>(Math.max(4, (int) (size / 0.75f) + 1));
        for (int i = 0; i < size; i++) {
            String column = input.readString().intern();
            row.put(column, kryo.readClassAndObject(input));
        }
        return row;
    }

    @Override
    public LinkedHashMap<String, Object> copy(Kryo kryo, LinkedHashMap<String, Object> original) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(original.size() * 2);
        for (Map.Entry<String, Object> column : original.entrySet()) {
            copy.put(column.getKey(), kryo.copy(column.getValue()));
        }
        return copy;
    }
}
