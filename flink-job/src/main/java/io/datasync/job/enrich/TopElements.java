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
 * one child changes at a time, with a reserve of the next best behind it, reading all the children
 * only when the array and its reserve may now miss one of them: so many of them left, or fell below
 * the last kept, that fewer than {@code limit} remain while other children exist.
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
     * The kept children after {@code child}'s element became {@code element} (null: the child left or
     * stopped counting), or null when every child must be read to know them ({@link #best}).
     * {@code kept} is a prefix of all the children in order: the array's {@code needed} and a reserve
     * behind them, at most {@code capacity}; so is the result. A child enters it only above its last
     * (or anywhere when every other child is in it); the children are read only when fewer than
     * {@code needed} would remain while others are outside — the reserve makes that rare.
     * {@code childrenOutside}: whether the parent has children not in {@code kept}, besides this one.
     */
    public static List<Element> apply(List<Element> kept, int needed, int capacity, Order order, String child, Element element,
            boolean childrenOutside) {
        List<Element> next = new ArrayList<>(kept.size() + 1);
        for (Element each : kept) {
            if (!each.child().equals(child)) {
                next.add(each);
            }
        }
        if (element != null) {
            int at = Collections.binarySearch(next, element, order);
            int position = at >= 0 ? at : -at - 1;
            // Below the last kept child while others are outside: one of them may be better, so it stays outside too.
            if (position < next.size() || !childrenOutside) {
                next.add(position, element);
            }
        }
        if (next.size() < needed && childrenOutside) {
            return null; // the best outside take the places left
        }
        return List.copyOf(next.size() > capacity ? next.subList(0, capacity) : next);
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
