package io.datasync.job.enrich;

import io.datasync.job.spec.Expression;
import io.datasync.job.types.Row;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Pure: a parent's array — the best {@code limit} of its children by the array's order — kept up as
 * one child changes at a time, reading all the children only when the array may now miss one of
 * them: an element of it left, or got worse and is now its last, while other children exist.
 */
public final class TopElements {
    private TopElements() {}

    /** One child's element of the array: the child's id, the values the array is ordered by, its JSON. */
    public record Element(String child, List<Object> sortValues, Row json) {}

    /**
     * The array's order, as PostgreSQL's {@code ORDER BY}: per column ascending or descending, a null
     * above every value (last ascending, first descending), values by {@link Expression#compare};
     * then the child's id ascending by code point, so that no two children tie. Values of another
     * kind than a column's (text in a number column: only a hostile event has one) are never
     * compared across kinds: numbers come before booleans, booleans before text, whatever the
     * direction — an order, not a failure of the job, with a number column's misfit last.
     */
    public record Order(List<Boolean> descending) implements Comparator<Element>, Serializable {
        public Order {
            descending = List.copyOf(descending);
        }

        @Override
        public int compare(Element a, Element b) {
            for (int i = 0; i < descending.size(); i++) {
                Object x = a.sortValues().get(i);
                Object y = b.sortValues().get(i);
                if (x != null && y != null && kind(x) != kind(y)) {
                    return Integer.compare(kind(x), kind(y));
                }
                int order = x == null || y == null ? (x == y ? 0 : x == null ? 1 : -1) : Expression.compare(x, y);
                if (order != 0) {
                    return descending.get(i) ? -order : order;
                }
            }
            return Expression.codePoints(a.child(), b.child());
        }
    }

    private static int kind(Object value) {
        return value instanceof BigDecimal ? 0 : value instanceof Boolean ? 1 : 2;
    }

    /**
     * The array after {@code child}'s element became {@code element} (null: the child left or stopped
     * counting), or null when every child must be read to know it ({@link #best}). {@code childrenOutside}:
     * whether the parent has children that are not in {@code top}, besides this one.
     */
    public static List<Element> apply(List<Element> top, int limit, Order order, String child, Element element, boolean childrenOutside) {
        List<Element> next = new ArrayList<>(top);
        Element old = null;
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).child().equals(child)) {
                old = next.remove(i);
                break;
            }
        }
        if (element != null) {
            int at = Collections.binarySearch(next, element, order);
            next.add(at >= 0 ? at : -at - 1, element);
        }
        if (old != null && childrenOutside) {
            if (element == null) {
                return null; // the best child outside takes its place
            }
            if (order.compare(element, old) > 0 && next.indexOf(element) == next.size() - 1) {
                return null; // now the last: a child outside may be better
            }
        }
        return next.size() > limit ? List.copyOf(next.subList(0, limit)) : List.copyOf(next);
    }

    /** The best {@code limit} of all the children, holding no more than {@code limit + 1} at a time. */
    public static List<Element> best(Iterable<Element> children, int limit, Order order) {
        PriorityQueue<Element> kept = new PriorityQueue<>(limit + 1, order.reversed());
        for (Element element : children) {
            kept.add(element);
            if (kept.size() > limit) {
                kept.poll(); // the worst
            }
        }
        List<Element> best = new ArrayList<>(kept);
        best.sort(order);
        return List.copyOf(best);
    }
}
