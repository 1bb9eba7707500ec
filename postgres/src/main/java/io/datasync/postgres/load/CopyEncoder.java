package io.datasync.postgres.load;

import java.util.List;

/**
 * Encodes rows for {@code COPY ... FROM STDIN WITH (FORMAT csv)}: an unquoted empty field is NULL,
 * every value is quoted, so the empty string stays the empty string.
 */
final class CopyEncoder {
    private CopyEncoder() {}

    static void appendRow(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String value = values.get(i);
            if (value != null) {
                out.append('"');
                appendEscaped(out, value);
                out.append('"');
            }
        }
        out.append('\n');
    }

    private static void appendEscaped(StringBuilder out, String value) {
        int from = 0;
        for (int quote = value.indexOf('"'); quote >= 0; quote = value.indexOf('"', from)) {
            out.append(value, from, quote + 1).append('"');
            from = quote + 1;
        }
        out.append(value, from, value.length());
    }
}
