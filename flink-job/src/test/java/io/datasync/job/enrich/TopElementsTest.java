package io.datasync.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.enrich.TopElements.Element;
import io.datasync.job.enrich.TopElements.Order;
import io.datasync.job.types.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopElementsTest {
    /** likes desc, then published_at asc (then the id). */
    static final Order ORDER = new Order(List.of(true, false));

    static Element comment(String id, Long likes, String published) {
        return new Element(id, Arrays.asList(likes == null ? null : BigDecimal.valueOf(likes), published), Row.EMPTY);
    }

    static List<String> ids(List<Element> elements) {
        return elements == null ? null : elements.stream().map(Element::child).toList();
    }

    @Test
    void theOrderIsPostgreSqlsNullsFirstDescendingThenTheIdByCodePoint() {
        List<Element> all = new ArrayList<>(List.of(comment("b", 5L, "2024-01-02T00:00:00Z"), comment("a", 5L, "2024-01-02T00:00:00Z"),
                comment("c", null, "2024-01-01T00:00:00Z"), comment("d", 9L, null), comment("e", 9L, "2024-01-03T00:00:00Z")));
        all.sort(ORDER);
        assertThat(ids(all)).containsExactly("c", "e", "d", "a", "b");
        assertThat(ids(TopElements.best(all, 3, ORDER))).containsExactly("c", "e", "d");
    }

    @Test
    void aValueOfAnotherKindThanItsColumnsHasAPlaceAtTheEndInEitherDirectionAndFailsNothing() {
        Element hostile = new Element("h", Arrays.asList("many", "2024-01-01T00:00:00Z"), Row.EMPTY);
        List<Element> all = new ArrayList<>(List.of(comment("a", 1L, "t"), hostile, comment("b", 7L, "t")));

        all.sort(ORDER);
        assertThat(ids(all)).containsExactly("b", "a", "h");
        all.sort(new Order(List.of(false, false)));
        assertThat(ids(all)).containsExactly("a", "b", "h");
        assertThat(ids(TopElements.apply(List.of(comment("b", 7L, "t"), comment("a", 1L, "t")), 3, 3, ORDER, "h", hostile, false)))
                .containsExactly("b", "a", "h");
    }

    @Test
    void aLikeThatMovesAnElementUpReordersWithoutReadingTheChildren() {
        List<Element> top = List.of(comment("a", 10L, "t"), comment("b", 8L, "t"), comment("c", 5L, "t"));
        assertThat(ids(TopElements.apply(top, 3, 3, ORDER, "c", comment("c", 9L, "t"), true))).containsExactly("a", "c", "b");
        assertThat(ids(TopElements.apply(top, 3, 3, ORDER, "x", comment("x", 20L, "t"), true))).as("a child from outside pushes the last out")
                .containsExactly("x", "a", "b");
        assertThat(ids(TopElements.apply(top, 3, 3, ORDER, "x", comment("x", 1L, "t"), true))).as("a child below the array changes nothing")
                .containsExactly("a", "b", "c");
    }

    @Test
    void anElementLeavingOrFallingToTheEndNeedsTheChildrenOnlyIfOthersExist() {
        List<Element> top = List.of(comment("a", 10L, "t"), comment("b", 8L, "t"), comment("c", 5L, "t"));
        assertThat(TopElements.apply(top, 3, 3, ORDER, "b", null, true)).as("the best outside takes its place").isNull();
        assertThat(ids(TopElements.apply(top, 3, 3, ORDER, "b", null, false))).containsExactly("a", "c");
        assertThat(TopElements.apply(top, 3, 3, ORDER, "a", comment("a", 1L, "t"), true)).as("now last: someone outside may be better").isNull();
        assertThat(ids(TopElements.apply(top, 3, 3, ORDER, "a", comment("a", 6L, "t"), true))).as("worse but still above the last")
                .containsExactly("b", "a", "c");
    }

    @Test
    void aReserveBehindTheArrayFillsThePlacesLeftWithoutReadingTheChildren() {
        List<Element> kept = List.of(comment("a", 10L, "t"), comment("b", 8L, "t"), comment("c", 5L, "t"), comment("d", 4L, "t"),
                comment("e", 3L, "t"), comment("f", 2L, "t"));
        assertThat(ids(TopElements.apply(kept, 3, 6, ORDER, "a", null, true))).as("the next best comes from the reserve")
                .containsExactly("b", "c", "d", "e", "f");
        assertThat(ids(TopElements.apply(kept, 3, 6, ORDER, "a", comment("a", 1L, "t"), true))).as("fallen below the kept, it leaves them")
                .containsExactly("b", "c", "d", "e", "f");
        assertThat(ids(TopElements.apply(kept, 3, 6, ORDER, "x", comment("x", 6L, "t"), true))).as("a better child pushes the last out")
                .containsExactly("a", "b", "x", "c", "d", "e");
        assertThat(ids(TopElements.apply(kept.subList(0, 4), 3, 6, ORDER, "x", comment("x", 1L, "t"), true)))
                .as("below the last kept while others are outside: one of them may be better").containsExactly("a", "b", "c", "d");
        assertThat(ids(TopElements.apply(kept.subList(0, 4), 3, 6, ORDER, "x", comment("x", 1L, "t"), false)))
                .as("with no child outside, the kept are all of them").containsExactly("a", "b", "c", "d", "x");
        assertThat(TopElements.apply(kept.subList(0, 3), 3, 6, ORDER, "b", null, true)).as("the reserve spent: read the children").isNull();
    }

    /** Random changes to 40 children of one parent, kept by apply (and best when it says so), against a full sort. */
    @Test
    void keptUpChangeByChangeItIsAlwaysTheBestOfAllChildren() {
        int withoutReserve = rescans(10);
        int withReserve = rescans(20);
        assertThat(withoutReserve).as("most changes need no read of all children").isLessThan(20_000 / 3);
        assertThat(withReserve).as("a reserve as long as the array makes a read of all children rare").isLessThan(withoutReserve / 4);
    }

    /** How many times 20,000 random changes needed every child read, keeping the best {@code capacity} for an array of 10. */
    static int rescans(int capacity) {
        Random random = new Random(42);
        Map<String, Element> children = new HashMap<>();
        List<Element> kept = List.of();
        int rescans = 0;
        for (int step = 0; step < 20_000; step++) {
            String id = "c" + random.nextInt(40);
            Element element = random.nextInt(6) == 0 ? null
                    : comment(id, random.nextInt(8) == 0 ? null : (long) random.nextInt(15), "2024-01-0" + (1 + random.nextInt(3)) + "T00:00:00Z");
            List<Element> current = kept;
            boolean outside = children.keySet().stream().anyMatch(child -> !child.equals(id) && current.stream().noneMatch(e -> e.child().equals(child)));
            if (element == null) {
                children.remove(id);
            } else {
                children.put(id, element);
            }
            List<Element> next = TopElements.apply(kept, 10, capacity, ORDER, id, element, outside);
            if (next == null) {
                rescans++;
                next = TopElements.best(children.values(), capacity, ORDER);
            }
            kept = next;
            List<Element> all = new ArrayList<>(children.values());
            all.sort(ORDER);
            assertThat(kept.size()).as("step %d: the array whole, no more than the capacity", step)
                    .isBetween(Math.min(10, all.size()), capacity);
            assertThat(kept).as("step %d: the kept are the best of all the children, in order, with their latest elements", step)
                    .isEqualTo(all.subList(0, kept.size()));
        }
        return rescans;
    }
}
