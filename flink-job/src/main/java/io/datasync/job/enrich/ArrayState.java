package io.datasync.job.enrich;

import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.enrich.DocumentInput.AggregateResults;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.TopElements.Element;
import io.datasync.job.enrich.TopElements.Order;
import io.datasync.job.spec.Expression;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.ArraySpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.types.Row;
import io.datasync.job.types.RowBuilder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by array and parent ({@link ParentKey}: the array's elements' name {@code <index>#<array>}
 * and the parent's key): every child's element in {@code elements} (on disk under RocksDB, however
 * many children) and, in one {@link ArraySummary}, the current array — its best {@code limit}
 * elements — and a reserve of as many behind it, kept by {@link TopElements} change by change.
 * Only a changed array is sent, as the results of the array (an object holding it under its name)
 * to the parent's document. During Debezium's snapshot elements are only stored and each parent's
 * array is computed once, when the snapshot has been read ({@link SnapshotPhase}).
 */
public final class ArrayState extends KeyedProcessFunction<ParentKey, ParentUpdate, DocumentInput> {
    /**
     * One array of the spec: the index and field it fills, the child table its elements come from, the
     * element columns it is ordered by and how, and how many elements it keeps.
     */
    public record Use(String index, String name, String childTable, List<String> orderColumns, Order order, int limit) implements Serializable {
        static Use of(IndexSpec index, ArraySpec array) {
            return new Use(index.name(), array.name(), array.table(), array.orderColumns(), new Order(array.descending()), array.limit());
        }

        Element element(String child, Row json) {
            List<Object> values = new ArrayList<>(orderColumns.size());
            for (String column : orderColumns) {
                values.add(Expression.normalize(json.get(column)));
            }
            return new Element(child, values, json);
        }

        /**
         * How many of the best children the summary keeps: the array and as many again behind it, so
         * that an element leaving or falling back takes the next from the reserve instead of a read of
         * every child (a video with thousands of comments rescans them only when the reserve runs out).
         */
        int capacity() {
            return 2 * limit;
        }

        /** The array's results with no element: what a document without children holds. */
        public Row empty() {
            return results(List.of());
        }

        Row results(List<Element> array) {
            List<Row> elements = array.stream().map(Element::json).toList();
            return new RowBuilder(elements.stream().mapToInt(element -> element.json().length + 1).sum() + name.length() + 8)
                    .array(name, elements).build();
        }
    }

    private final Map<String, Use> arrays;

    private transient MapState<String, Row> elements;
    private transient ValueState<ArraySummary> summary;

    public ArrayState(SyncSpec spec) {
        this(uses(spec));
    }

    /** {@code arrays}: each array by its elements' name (the {@link ParentKey#relation()} of its updates). */
    public ArrayState(Map<String, Use> arrays) {
        this.arrays = Map.copyOf(arrays);
    }

    /** Every array of the spec, by its elements' name. */
    public static Map<String, Use> uses(SyncSpec spec) {
        Map<String, Use> uses = new HashMap<>();
        for (IndexSpec index : spec.indexes()) {
            index.arrays().forEach(array -> uses.put(index.elementsOf(array), Use.of(index, array)));
        }
        return uses;
    }

    @Override
    public void open(OpenContext context) {
        elements = getRuntimeContext().getMapState(new MapStateDescriptor<>("array-elements", Types.STRING, new Row.Info().info()));
        summary = getRuntimeContext().getState(new ValueStateDescriptor<>("array-summary", new ArraySummary.Info().info()));
    }

    @Override
    public void processElement(ParentUpdate update, Context context, Collector<DocumentInput> out) throws Exception {
        ChildChanged change = (ChildChanged) update;
        Use use = arrays.get(change.parent().relation());
        if (use == null) {
            throw new IllegalStateException("array " + change.parent().relation() + " is not in the sync spec");
        }
        Row previous = elements.get(change.child());
        if (change.contribution() == null ? previous == null : change.contribution().equals(previous)) {
            return;
        }
        ArraySummary stored = summary.value();
        ArraySummary current = stored == null ? ArraySummary.NONE : stored;
        boolean holding = SnapshotPhase.holds(context.timestamp(), context.timerService().currentWatermark());
        // The kept children as they were (a summary from before format 2 has only ids: their elements are read once).
        boolean complete = current.hasElements();
        List<Element> kept = holding || current.held() ? List.of() : complete ? elements(use, current) : elements(use, current.ids());
        long count = current.children();
        if (change.contribution() == null) {
            elements.remove(change.child());
            count--;
        } else {
            elements.put(change.child(), change.contribution());
            count += previous == null ? 1 : 0;
        }
        if (holding) {
            if (!current.held()) {
                context.timerService().registerEventTimeTimer(SnapshotPhase.SNAPSHOT_READ);
            }
            summary.update(new ArraySummary(current.top(), count, true));
            return;
        }
        List<Element> next = null;
        if (!current.held()) {
            // Children now, other than this one, that are not kept: only they can take a place the kept leave.
            boolean wasKept = contains(kept, change.child());
            long outside = count - (change.contribution() != null ? 1 : 0) - (kept.size() - (wasKept ? 1 : 0));
            next = TopElements.apply(kept, use.limit(), use.capacity(), use.order(), change.child(),
                    change.contribution() == null ? null : use.element(change.child(), change.contribution()), outside > 0);
        }
        if (next == null) {
            next = TopElements.best(all(use), use.capacity(), use.order());
        }
        List<Element> array = head(next, use.limit());
        boolean keptChanged = current.held() || changed(current.ids(), next, change.child());
        boolean arrayChanged = current.held() || changed(head(current.ids(), use.limit()), array, change.child());
        if (count == 0 && next.isEmpty()) {
            summary.clear();
        } else if (keptChanged || count != current.children() || !complete) {
            // A child outside the kept that stays outside changes nothing here: no write.
            summary.update(new ArraySummary(members(next), count, false));
        }
        if (arrayChanged) {
            out.collect(new AggregateResults(new DocumentKey(use.index(), change.parent().parent()), use.name(), use.results(array), change.trace()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentInput> out) throws Exception {
        ArraySummary current = summary.value();
        if (current != null && current.held()) {
            Use use = arrays.get(context.getCurrentKey().relation());
            List<Element> best = TopElements.best(all(use), use.capacity(), use.order());
            summary.update(new ArraySummary(members(best), current.children(), false));
            out.collect(new AggregateResults(new DocumentKey(use.index(), context.getCurrentKey().parent()), use.name(),
                    use.results(head(best, use.limit())), new Trace(use.childTable(), "*", 0, 0)));
        }
    }

    /** The array as the summary keeps it; ordering values parsed from the elements only for a summary from before format 3. */
    private static List<Element> elements(Use use, ArraySummary summary) {
        return summary.top().stream().map(member -> member.sortValues() != null && member.sortValues().size() == use.orderColumns().size()
                ? new Element(member.child(), member.sortValues(), member.element())
                : use.element(member.child(), member.element())).toList();
    }

    private List<Element> elements(Use use, List<String> ids) throws Exception {
        List<Element> list = new ArrayList<>(ids.size());
        for (String id : ids) {
            Row json = elements.get(id);
            if (json != null) {
                list.add(use.element(id, json));
            }
        }
        list.sort(use.order());
        return list;
    }

    /** Every child's element, read one at a time (under RocksDB an iterator over the state: bounded memory for any number of children). */
    private Iterable<Element> all(Use use) throws Exception {
        Iterable<Map.Entry<String, Row>> entries = elements.entries();
        return () -> new Iterator<>() {
            private final Iterator<Map.Entry<String, Row>> cursor = entries.iterator();

            @Override
            public boolean hasNext() {
                return cursor.hasNext();
            }

            @Override
            public Element next() {
                Map.Entry<String, Row> entry = cursor.next();
                return use.element(entry.getKey(), entry.getValue());
            }
        };
    }

    private static <T> List<T> head(List<T> list, int size) {
        return list.size() > size ? list.subList(0, size) : list;
    }

    /** Whether {@code after} differs from the children {@code before}: other children or order, or {@code child}'s element in it. */
    private static boolean changed(List<String> before, List<Element> after, String child) {
        return !ids(after).equals(before) || contains(after, child);
    }

    private static boolean contains(List<Element> elements, String child) {
        return elements.stream().anyMatch(element -> element.child().equals(child));
    }

    private static List<String> ids(List<Element> elements) {
        return elements.stream().map(Element::child).toList();
    }

    private static List<ArraySummary.Member> members(List<Element> elements) {
        return elements.stream().map(element -> new ArraySummary.Member(element.child(), element.sortValues(), element.json())).toList();
    }
}
