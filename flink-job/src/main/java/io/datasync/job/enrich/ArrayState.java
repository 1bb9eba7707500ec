package io.datasync.job.enrich;

import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.enrich.DocumentInput.AggregateResults;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.TopElements.Element;
import io.datasync.job.enrich.TopElements.Order;
import io.datasync.job.types.Row;
import java.io.Serializable;
import java.util.ArrayList;
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
 * Keyed by array and parent ({@link ParentKey}: the array's relation name and the parent's key):
 * every child's element in {@code elements} (on disk under RocksDB, however many children) and the
 * current array — its best {@code limit} elements — in {@code top}, kept by {@link TopElements}
 * change by change. Only a changed array is sent, as the results of the array (an object holding it
 * under its name) to the parent's document. During Debezium's snapshot elements are only stored and
 * each parent's array is computed once, when the snapshot has been read ({@link SnapshotPhase}).
 */
public final class ArrayState extends KeyedProcessFunction<ParentKey, ChildChanged, DocumentInput> {
    /**
     * One array of the spec: the index and field it fills, the child table its elements come from, the
     * element columns it is ordered by and how, and how many elements it keeps.
     */
    public record Use(String index, String name, String childTable, List<String> orderColumns, Order order, int limit) implements Serializable {
        Element element(String child, Row json) {
            List<Object> values = new ArrayList<>(orderColumns.size());
            for (String column : orderColumns) {
                values.add(io.datasync.job.spec.Expression.normalize(json.get(column)));
            }
            return new Element(child, values, json);
        }
    }

    private final Map<String, Use> arrays;

    private transient MapState<String, Row> elements;
    private transient ValueState<List<String>> top;
    private transient ValueState<Long> children;
    private transient ValueState<Boolean> held;

    /** {@code arrays}: each array by its relation's name (the {@link ParentKey#relation()} of its updates). */
    public ArrayState(Map<String, Use> arrays) {
        this.arrays = Map.copyOf(arrays);
    }

    @Override
    public void open(OpenContext context) {
        elements = getRuntimeContext().getMapState(new MapStateDescriptor<>("array-elements", Types.STRING, new Row.Info().info()));
        top = getRuntimeContext().getState(new ValueStateDescriptor<>("array-top", Types.LIST(Types.STRING)));
        children = getRuntimeContext().getState(new ValueStateDescriptor<>("array-children", Types.LONG));
        held = getRuntimeContext().getState(new ValueStateDescriptor<>("array-held", Types.BOOLEAN));
    }

    @Override
    public void processElement(ChildChanged change, Context context, Collector<DocumentInput> out) throws Exception {
        Use use = arrays.get(change.parent().relation());
        if (use == null) {
            throw new IllegalStateException("array " + change.parent().relation() + " is not in the sync spec");
        }
        Row previous = elements.get(change.child());
        if (change.contribution() == null ? previous == null : change.contribution().equals(previous)) {
            return;
        }
        boolean holding = SnapshotPhase.holds(context.timestamp(), context.timerService().currentWatermark());
        boolean wasHeld = Boolean.TRUE.equals(held.value());
        // The array as it was, read before the change is stored.
        List<Element> current = holding || wasHeld ? List.of() : elements(use, top.value());
        long count = children.value() == null ? 0 : children.value();
        if (change.contribution() == null) {
            elements.remove(change.child());
            count--;
        } else {
            elements.put(change.child(), change.contribution());
            count += previous == null ? 1 : 0;
        }
        children.update(count);
        if (holding) {
            if (!wasHeld) {
                context.timerService().registerEventTimeTimer(SnapshotPhase.SNAPSHOT_READ);
                held.update(true);
            }
            return;
        }
        List<Element> next;
        if (wasHeld) {
            held.clear();
            next = null;
        } else {
            // Children now, other than this one, that are not in the array: only they can take a place it leaves.
            boolean inTop = current.stream().anyMatch(element -> element.child().equals(change.child()));
            long outside = count - (change.contribution() != null ? 1 : 0) - (current.size() - (inTop ? 1 : 0));
            next = TopElements.apply(current, use.limit(), use.order(), change.child(),
                    change.contribution() == null ? null : use.element(change.child(), change.contribution()), outside > 0);
        }
        if (next == null) {
            next = TopElements.best(all(use), use.limit(), use.order());
        }
        if (!ids(next).equals(ids(current)) || next.stream().anyMatch(element -> element.child().equals(change.child()))) {
            send(use, change.parent().parent(), next, change.trace(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentInput> out) throws Exception {
        if (Boolean.TRUE.equals(held.value())) {
            held.clear();
            Use use = arrays.get(context.getCurrentKey().relation());
            List<Element> best = TopElements.best(all(use), use.limit(), use.order());
            send(use, context.getCurrentKey().parent(), best, new Trace(use.childTable(), "*", 0, 0), out);
        }
    }

    private void send(Use use, String parent, List<Element> array, Trace trace, Collector<DocumentInput> out) throws Exception {
        top.update(ids(array));
        Row results = Row.write(generator -> {
            generator.writeFieldName(use.name());
            generator.writeStartArray();
            for (Element element : array) {
                generator.writeRawValue(element.json().toString());
            }
            generator.writeEndArray();
        });
        out.collect(new AggregateResults(new DocumentKey(use.index(), parent), use.name(), results, trace));
    }

    private List<Element> elements(Use use, List<String> ids) throws Exception {
        List<Element> list = new ArrayList<>();
        if (ids != null) {
            for (String id : ids) {
                Row json = elements.get(id);
                if (json != null) {
                    list.add(use.element(id, json));
                }
            }
        }
        list.sort(use.order());
        return list;
    }

    /** Every child's element, read one at a time (under RocksDB an iterator over the state: bounded memory for any number of children). */
    private Iterable<Element> all(Use use) throws Exception {
        Iterable<Map.Entry<String, Row>> entries = elements.entries();
        return () -> new java.util.Iterator<>() {
            private final java.util.Iterator<Map.Entry<String, Row>> cursor = entries.iterator();

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

    private static List<String> ids(List<Element> elements) {
        return elements.stream().map(Element::child).toList();
    }
}
