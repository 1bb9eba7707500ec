package io.datasync.postgres.db;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Renders a query result as an aligned plain-text table, the way psql does. */
final class TextTable {
    private TextTable() {}

    /** Cells longer than {@code maxCell} code points are cut, with an ellipsis. */
    static String render(ResultSet rs, int maxCell) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[columns];
        for (int i = 0; i < columns; i++) {
            header[i] = meta.getColumnLabel(i + 1);
        }
        rows.add(header);
        while (rs.next()) {
            String[] row = new String[columns];
            for (int i = 0; i < columns; i++) {
                row[i] = cell(rs.getString(i + 1), maxCell);
            }
            rows.add(row);
        }
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            appendRow(out, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[columns];
                for (int i = 0; i < columns; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                appendRow(out, rule, widths);
            }
        }
        out.append('(').append(rows.size() - 1).append(rows.size() == 2 ? " row)" : " rows)").append('\n');
        return out.toString();
    }

    private static void appendRow(StringBuilder out, String[] row, int[] widths) {
        for (int i = 0; i < row.length; i++) {
            out.append(i == 0 ? " " : " | ").append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
        }
        out.append('\n');
    }

    /** NULL shows as empty; line breaks are escaped so a multi-line comment stays on one row. */
    private static String cell(String value, int maxCell) {
        if (value == null) {
            return "";
        }
        String flat = value.replace("\r", "\\r").replace("\n", "\\n");
        return flat.codePointCount(0, flat.length()) <= maxCell
                ? flat
                : flat.substring(0, flat.offsetByCodePoints(0, maxCell)) + "…";
    }
}
