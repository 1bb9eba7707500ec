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
 * by value, timestamps as instants, nested objects field by field, arrays element by element, a
 * missing field as null.
 */
final class FieldComparison {
    private FieldComparison() {}

    /** {@code ignored}: dotted field paths left out of the comparison. */
    static List<String> differences(Map<String, Object> expected, Map<String, Object> actual, Set<String> ignored) {
        List<String> differences = new ArrayList<>();
        compare("", expected, actual, ignored, differences);
        return differences;
    }

    private static void compare(String path, Map<String, Object> expected, Map<String, Object> actual, Set<String> ignored, List<String> out) {
        Set<String> fields = new LinkedHashSet<>(expected.keySet());
        fields.addAll(actual.keySet());
        for (String field : fields) {
            Object want = expected.get(field);
            Object got = actual.get(field);
            String at = path + field;
            if (!ignored.contains(at)) {
                compareValue(at, want, got, ignored, out);
            }
        }
    }

    /** One value at {@code at}: objects field by field, arrays element by element, the rest by {@link #same}. */
    @SuppressWarnings("unchecked")
    private static void compareValue(String at, Object want, Object got, Set<String> ignored, List<String> out) {
        if (want instanceof Map<?, ?> wantMap && got instanceof Map<?, ?> gotMap) {
            compare(at + ".", (Map<String, Object>) wantMap, (Map<String, Object>) gotMap, ignored, out);
        } else if (want instanceof List<?> wantList && got instanceof List<?> gotList) {
            compareArrays(at, (List<Object>) wantList, (List<Object>) gotList, ignored, out);
        } else if (!same(want, got)) {
            out.add(at + ": expected " + describe(want) + ", found " + describe(got));
        }
    }

    /**
     * Arrays element by element ({@code field[i].…}); the same elements in another order are reported
     * as that, in one line, not as a difference in every place.
     */
    private static void compareArrays(String at, List<Object> expected, List<Object> actual, Set<String> ignored, List<String> out) {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            Object want = i < expected.size() ? expected.get(i) : null;
            Object got = i < actual.size() ? actual.get(i) : null;
            differences.addAll(elementDifferences(at + "[" + i + "]", want, got, ignored));
        }
        if (differences.isEmpty()) {
            return;
        }
        if (expected.size() != actual.size()) {
            out.add(at + ": expected " + expected.size() + " elements, found " + actual.size());
        } else if (isPermutation(at, expected, actual, ignored)) {
            out.add(at + ": the expected elements in another order");
            return;
        }
        out.addAll(differences);
    }

    private static List<String> elementDifferences(String at, Object want, Object got, Set<String> ignored) {
        List<String> differences = new ArrayList<>();
        compareValue(at, want, got, ignored, differences);
        return differences;
    }

    private static boolean isPermutation(String at, List<Object> expected, List<Object> actual, Set<String> ignored) {
        List<Object> unmatched = new ArrayList<>(actual);
        for (Object want : expected) {
            boolean found = false;
            for (int j = 0; j < unmatched.size() && !found; j++) {
                if (elementDifferences(at, want, unmatched.get(j), ignored).isEmpty()) {
                    unmatched.remove(j);
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
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
