package io.datasync.postgres.csv;

import io.datasync.postgres.csv.SeedTable.Column;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/** Checks and normalizes one CSV field against its column; pure functions, no I/O. */
final class FieldRules {
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter ZONED = new DateTimeFormatterBuilder()
            .append(LOCAL)
            .appendOffset("+HH:MM", "Z")
            .toFormatter();
    private static final DateTimeFormatter OUTPUT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.MICRO_OF_SECOND, 0, 6, true).optionalEnd()
            .toFormatter();

    /** Stands for bytes that are not UTF-8 (a noncharacter, never in real text). */
    static final String INVALID_UTF8 = "\uFFFF";

    private FieldRules() {}

    /**
     * Returns the value to load ({@code null} for SQL NULL), or throws with a reason that names
     * the column.
     */
    static String normalize(Column column, String raw) {
        if (raw.contains(INVALID_UTF8)) {
            throw new IllegalArgumentException(column.name() + " is not valid UTF-8");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(column.name() + " contains a NUL character, which PostgreSQL text cannot hold");
        }
        if (raw.isEmpty()) {
            return switch (column.presence()) {
                case NON_EMPTY -> throw new IllegalArgumentException(column.name() + " is empty");
                case NOT_NULL -> "";
                case NULLABLE -> null;
            };
        }
        return switch (column.type()) {
            case TEXT -> raw;
            case INTEGER -> integer(column, raw);
            case TIMESTAMP -> timestamp(column, raw);
        };
    }

    private static String integer(Column column, String raw) {
        try {
            return Integer.toString(Integer.parseInt(raw));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column.name() + " is not an integer: '" + abbreviate(raw) + "'");
        }
    }

    /** Local timestamps are taken as UTC; ones with an offset are converted to UTC. */
    private static String timestamp(Column column, String raw) {
        try {
            return OUTPUT.format(LocalDateTime.parse(raw, LOCAL));
        } catch (DateTimeParseException notLocal) {
            try {
                return OUTPUT.format(OffsetDateTime.parse(raw, ZONED).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(column.name() + " is not a timestamp (yyyy-MM-dd HH:mm:ss[.ffffff][Z|+hh:mm]): '" + abbreviate(raw) + "'");
            }
        }
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
