package io.datasync.postgres.csv;

import java.util.List;

/**
 * One validated data row of a seed CSV: the line it starts on and its values in file order, with
 * {@code null} for SQL NULL and timestamps normalized to {@code yyyy-MM-dd HH:mm:ss[.ffffff]} UTC.
 */
public record CsvRow(long line, List<String> values) {
    public String key() {
        return values.get(0);
    }
}
