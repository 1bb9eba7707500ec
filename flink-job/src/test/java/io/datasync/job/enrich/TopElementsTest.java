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
        assertThat(ids(TopElements.apply(List.of(comment("b", 7L, "t"), comment("a", 1L, "t")), 3, ORDER, "h", hostile, false)))
                .containsExactly("b", "a", "h");
    }

    @Test
    void aLikeThatMovesAnElementUpReordersWithoutReadingTheChildren() {
        List<Element> top = List.of(comment("a", 10L, "t"), comment("b", 8L, "t"), comment("c", 5L, "t"));
        assertThat(ids(TopElements.apply(top, 3, ORDER, "c", comment("c", 9L, "t"), true))).containsExactly("a", "c", "b");
        assertThat(ids(TopElements.apply(top, 3, ORDER, "x", comment("x", 20L, "t"), true))).as("a child from outside pushes the last out")
                .containsExactly("x", "a", "b");
        assertThat(ids(TopElements.apply(top, 3, ORDER, "x", comment("x", 1L, "t"), true))).as("a child below the array changes nothing")
                .containsExactly("a", "b", "c");
    }

    @Test
    void anElementLeavingOrFallingToTheEndNeedsTheChildrenOnlyIfOthersExist() {
        List<Element> top = List.of(comment("a", 10L, "t"), comment("b", 8L, "t"), comment("c", 5L, "t"));
        assertThat(TopElements.apply(top, 3, ORDER, "b", null, true)).as("the best outside takes its place").isNull();
        assertThat(ids(TopElements.apply(top, 3, ORDER, "b", null, false))).containsExactly("a", "c");
        assertThat(TopElements.apply(top, 3, ORDER, "a", comment("a", 1L, "t"), true)).as("now last: someone outside may be better").isNull();
        assertThat(ids(TopElements.apply(top, 3, ORDER, "a", comment("a", 6L, "t"), true))).as("worse but still above the last")
                .containsExactly("b", "a", "c");
    }

    /** Random changes to 40 children of one parent, the array kept by apply (and best when it says so) against a full sort. */
    @Test
    void keptUpChangeByChangeItIsAlwaysTheBestOfAllChildren() {
        Random random = new Random(42);
        Map<String, Element> children = new HashMap<>();
        List<Element> top = List.of();
        int rescans = 0;
        for (int step = 0; step < 20_000; step++) {
            String id = "c" + random.nextInt(40);
            Element element = random.nextInt(6) == 0 ? null
                    : comment(id, random.nextInt(8) == 0 ? null : (long) random.nextInt(15), "2024-01-0" + (1 + random.nextInt(3)) + "T00:00:00Z");
            List<Element> current = top;
            boolean outside = children.keySet().stream().anyMatch(child -> !child.equals(id) && current.stream().noneMatch(e -> e.child().equals(child)));
            if (element == null) {
                children.remove(id);
            } else {
                children.put(id, element);
            }
            List<Element> next = TopElements.apply(top, 10, ORDER, id, element, outside);
            if (next == null) {
                rescans++;
                next = TopElements.best(children.values(), 10, ORDER);
            }
            top = next;
            List<Element> all = new ArrayList<>(children.values());
            all.sort(ORDER);
            assertThat(ids(top)).as("step %d", step).isEqualTo(ids(all.subList(0, Math.min(10, all.size()))));
        }
        assertThat(rescans).as("most changes need no read of all children").isLessThan(20_000 / 3);
    }
}
