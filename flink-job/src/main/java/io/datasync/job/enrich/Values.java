package io.datasync.job.enrich;

import io.datasync.job.spec.UtcTimestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Orders and adds column values as SQL would: numbers by value, ISO timestamps by instant. */
final class Values {
    private Values() {}

    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y));
        }
        String left = a.toString();
        String right = b.toString();
        Integer utc = UtcTimestamps.compare(left, right);
        if (utc != null) {
            return utc;
        }
        try {
            return Instant.parse(left).compareTo(Instant.parse(right));
        } catch (DateTimeParseException notTimestamps) {
            return left.compareTo(right);
        }
    }

    static Object add(Object sum, Object value, boolean subtract) {
        if (!(value instanceof Number number)) {
            return sum;
        }
        BigDecimal delta = subtract ? decimal(number).negate() : decimal(number);
        BigDecimal total = sum == null ? delta : decimal((Number) sum).add(delta);
        try {
            return total.longValueExact();
        } catch (ArithmeticException notALong) {
            return total;
        }
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
    }
}
