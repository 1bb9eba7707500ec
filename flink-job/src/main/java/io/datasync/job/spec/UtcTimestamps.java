package io.datasync.job.spec;

/**
 * Pure: two timestamps as Debezium writes a {@code timestamptz} ({@code 2024-01-02T03:04:05.123456Z}:
 * UTC, a fraction of 0 to 9 digits) compared as instants without {@code java.time}'s parser, which
 * builds a formatter for every {@code Instant.parse} (a sixth of the aggregates' samples in a
 * profile: each comment's change compares its video's {@code max(published_at)}). Any other form
 * — an offset, a leap second, a date that does not exist — is left to the caller's parser.
 */
public final class UtcTimestamps {
    private static final int DATE_TIME = 19; // yyyy-MM-ddTHH:mm:ss

    private UtcTimestamps() {}

    /** Negative, zero or positive as {@code a}'s instant is before, at or after {@code b}'s; null when either is not of this form. */
    public static Integer compare(String a, String b) {
        if (!valid(a) || !valid(b)) {
            return null;
        }
        for (int i = 0; i < DATE_TIME; i++) { // fixed-width digits: text order is time order up to the seconds
            int difference = a.charAt(i) - b.charAt(i);
            if (difference != 0) {
                return difference;
            }
        }
        int digits = Math.max(a.length(), b.length()) - DATE_TIME - 2;
        for (int i = 0; i < digits; i++) {
            int difference = fractionDigit(a, i) - fractionDigit(b, i);
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    /** The fraction's {@code i}-th digit, '0' past its end (so that {@code .5} equals {@code .50}). */
    private static char fractionDigit(String timestamp, int i) {
        int at = DATE_TIME + 1 + i;
        return at < timestamp.length() - 1 ? timestamp.charAt(at) : '0';
    }

    static boolean valid(String text) {
        int length = text.length();
        if (length < DATE_TIME + 1 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return false;
        }
        if (length > DATE_TIME + 1) {
            int fraction = length - DATE_TIME - 2; // between '.' and 'Z'
            if (text.charAt(DATE_TIME) != '.' || fraction < 1 || fraction > 9 || !digits(text, DATE_TIME + 1, length - 1)) {
                return false;
            }
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        int hour = number(text, 11, 13);
        int minute = number(text, 14, 16);
        int second = number(text, 17, 19);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal number of {@code text[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int number(String text, int from, int to) {
        return digits(text, from, to) ? Integer.parseInt(text, from, to, 10) : -1;
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
