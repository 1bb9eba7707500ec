package io.datasync.ops;

import java.util.List;

/** Pure: the status rows as an aligned text table, and whether the pipeline is whole. */
public final class StatusTable {
    private StatusTable() {}

    /** One line of {@code make status}: a component, its state in a word, the details. */
    public record Row(String component, String state, String detail, boolean healthy) {
        static Row ok(String component, String state, String detail) {
            return new Row(component, state, detail, true);
        }

        static Row bad(String component, String state, String detail) {
            return new Row(component, state, detail, false);
        }
    }

    public static String render(List<Row> rows) {
        int component = "component".length();
        int state = "state".length();
        for (Row row : rows) {
            component = Math.max(component, row.component().length());
            state = Math.max(state, row.state().length());
        }
        String format = "%-" + component + "s  %-" + state + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "component", "state", "detail"));
        for (Row row : rows) {
            out.append(String.format(format, row.component(), row.state(), row.detail()));
        }
        return out.toString();
    }

    public static boolean healthy(List<Row> rows) {
        return rows.stream().allMatch(Row::healthy);
    }

    /** A row and document count pair, as "500,000 rows / 499,990 documents". */
    public static String counts(long rows, long documents) {
        return String.format("%,d rows / %,d documents", rows, documents);
    }

    /** An age in whole seconds, minutes or hours. */
    public static String age(long millis) {
        long seconds = Math.max(0, millis / 1000);
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        return seconds / 3600 + " h ago";
    }
}
