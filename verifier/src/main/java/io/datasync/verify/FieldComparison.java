package io.datasync.verify;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Pure: the fields where a document differs from what SQL says, compared as a user would: numbers
 * by value, timestamps as instants, nested objects field by field, a missing field as null.
 */
final class FieldComparison {
    private FieldComparison() {}

    /** {@code ignored}: dotted field paths left out of the comparison. */
    static List<String> differences(Map<String, Object> expected, Map<String, Object> actual, Set<String> ignored) {
        List<String> differences = new ArrayList<>();
        compare("", expected, actual, ignored, differences);
        return differences;
    }

    @SuppressWarnings("unchecked")
    private static void compare(String path, Map<String, Object> expected, Map<String, Object> actual, Set<String> ignored, List<String> out) {
        Set<String> fields = new LinkedHashSet<>(expected.keySet());
        fields.addAll(actual.keySet());
        for (String field : fields) {
            Object want = expected.get(field);
            Object got = actual.get(field);
            String at = path + field;
            if (ignored.contains(at)) {
                continue;
            }
            if (want instanceof Map<?, ?> wantMap && got instanceof Map<?, ?> gotMap) {
                compare(at + ".", (Map<String, Object>) wantMap, (Map<String, Object>) gotMap, ignored, out);
            } else if (!same(want, got)) {
                out.add(at + ": expected " + describe(want) + ", found " + describe(got));
            }
        }
    }

    static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        if (expected instanceof Number want && actual instanceof Number got) {
            return new BigDecimal(want.toString()).compareTo(new BigDecimal(got.toString())) == 0;
        }
        if (expected instanceof Instant want) {
            return want.equals(instant(actual));
        }
        if (expected instanceof LocalDate want) {
            return want.toString().equals(actual.toString());
        }
        if (expected instanceof Number want && actual instanceof String got) {
            try {
                return new BigDecimal(want.toString()).compareTo(new BigDecimal(got)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return Objects.equals(expected.toString(), actual.toString()) && !(actual instanceof Map<?, ?>);
    }

    private static Instant instant(Object value) {
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        return (value instanceof String ? "\"" : "") + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + (value instanceof String ? "\"" : "");
    }
}
