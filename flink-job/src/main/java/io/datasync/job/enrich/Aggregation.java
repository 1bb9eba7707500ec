package io.datasync.job.enrich;

import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.AggregateField;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Pure: the results of one aggregate (count, sum, max, min over the child rows of one parent),
 * kept incrementally with an adder and a subtractor so that deletes and moves are right. Removing
 * the current max or min rescans the remaining children.
 */
public final class Aggregation {
    private Aggregation() {}

    /** Results when no child references the parent: count 0, sums 0, max and min absent. */
    public static Map<String, Object> empty(Aggregate aggregate) {
        Map<String, Object> results = new TreeMap<>();
        aggregate.fields().forEach((field, spec) -> results.put(field, switch (spec.function()) {
            case COUNT, SUM -> 0L;
            case MAX, MIN -> null;
        }));
        return results;
    }

    public static Map<String, Object> add(Aggregate aggregate, Map<String, Object> results, Map<String, Object> child) {
        Map<String, Object> next = new TreeMap<>(results);
        aggregate.fields().forEach((field, spec) -> next.put(field, switch (spec.function()) {
            case COUNT -> (Long) results.get(field) + 1;
            case SUM -> Values.add(results.get(field), child.get(spec.column()), false);
            case MAX -> extreme(results.get(field), child.get(spec.column()), 1);
            case MIN -> extreme(results.get(field), child.get(spec.column()), -1);
        }));
        return next;
    }

    /** {@code remaining} yields the children left after the removal, for a rescan. */
    public static Map<String, Object> remove(
            Aggregate aggregate, Map<String, Object> results, Map<String, Object> child, Supplier<Iterable<Map<String, Object>>> remaining) {
        Map<String, Object> next = new TreeMap<>(results);
        for (Map.Entry<String, AggregateField> entry : aggregate.fields().entrySet()) {
            String field = entry.getKey();
            AggregateField spec = entry.getValue();
            Object removed = child.get(spec.column() == null ? "" : spec.column());
            next.put(field, switch (spec.function()) {
                case COUNT -> (Long) results.get(field) - 1;
                case SUM -> Values.add(results.get(field), removed, true);
                case MAX, MIN -> {
                    Object current = results.get(field);
                    if (removed == null || current == null || Values.compare(removed, current) != 0) {
                        yield current;
                    }
                    int sign = spec.function() == io.datasync.job.spec.SyncSpec.AggregateFunction.MAX ? 1 : -1;
                    Object rescanned = null;
                    for (Map<String, Object> other : remaining.get()) {
                        rescanned = extreme(rescanned, other.get(spec.column()), sign);
                    }
                    yield rescanned;
                }
            });
        }
        return next;
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

    /** A copy with a stable field order, for documents. */
    static Map<String, Object> ordered(Map<String, Object> results) {
        return new LinkedHashMap<>(results);
    }
}
