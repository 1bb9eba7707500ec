package io.datasync.job.enrich;

import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.AggregateField;
import io.datasync.job.spec.SyncSpec.AggregateFunction;
import io.datasync.job.types.Row;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Pure: the results of one aggregate (count, sum, max, min over the child rows of one parent) as a
 * row of its fields in name order, kept incrementally with an adder and a subtractor so that
 * deletes and moves are right. Removing the current max or min rescans the remaining children.
 */
public final class Aggregation {
    private Aggregation() {}

    /** Results when no child references the parent: count 0, sums 0, max and min absent. */
    public static Row empty(Aggregate aggregate) {
        Map<String, Object> results = new TreeMap<>();
        aggregate.fields().forEach((field, spec) -> results.put(field, switch (spec.function()) {
            case COUNT, SUM -> 0L;
            case MAX, MIN -> null;
        }));
        return Row.of(results);
    }

    /** Results over all these children, from scratch. */
    public static Row compute(Aggregate aggregate, Iterable<Row> children) {
        Map<String, Object> results = new TreeMap<>(empty(aggregate).toMap());
        for (Row child : children) {
            results = add(aggregate, results, child.toMap());
        }
        return Row.of(results);
    }

    public static Row add(Aggregate aggregate, Row results, Row child) {
        return Row.of(add(aggregate, results.toMap(), child.toMap()));
    }

    private static Map<String, Object> add(Aggregate aggregate, Map<String, Object> results, Map<String, Object> child) {
        Map<String, Object> next = new TreeMap<>(results);
        aggregate.fields().forEach((field, spec) -> next.put(field, switch (spec.function()) {
            case COUNT -> ((Number) results.get(field)).longValue() + 1;
            case SUM -> Values.add(results.get(field), child.get(spec.column()), false);
            case MAX -> extreme(results.get(field), child.get(spec.column()), 1);
            case MIN -> extreme(results.get(field), child.get(spec.column()), -1);
        }));
        return next;
    }

    /** {@code remaining} yields the children left after the removal, for a rescan. */
    public static Row remove(Aggregate aggregate, Row results, Row child, Supplier<Iterable<Row>> remaining) {
        Map<String, Object> current = results.toMap();
        Map<String, Object> removedValues = child.toMap();
        Map<String, Object> next = new TreeMap<>(current);
        for (Map.Entry<String, AggregateField> entry : aggregate.fields().entrySet()) {
            String field = entry.getKey();
            AggregateField spec = entry.getValue();
            Object removed = spec.column() == null ? null : removedValues.get(spec.column());
            next.put(field, switch (spec.function()) {
                case COUNT -> ((Number) current.get(field)).longValue() - 1;
                case SUM -> Values.add(current.get(field), removed, true);
                case MAX, MIN -> {
                    Object value = current.get(field);
                    if (removed == null || value == null || Values.compare(removed, value) != 0) {
                        yield value;
                    }
                    int sign = spec.function() == AggregateFunction.MAX ? 1 : -1;
                    Object rescanned = null;
                    for (Row other : remaining.get()) {
                        rescanned = extreme(rescanned, other.get(spec.column()), sign);
                    }
                    yield rescanned;
                }
            });
        }
        return Row.of(next);
    }

    private static Object extreme(Object current, Object candidate, int sign) {
        if (candidate == null) {
            return current;
        }
        if (current == null) {
            return candidate;
        }
        return Integer.signum(Values.compare(candidate, current)) == sign ? candidate : current;
    }
}
