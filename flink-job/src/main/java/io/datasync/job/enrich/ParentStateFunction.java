package io.datasync.job.enrich;

import io.datasync.job.enrich.EnrichMessage.Kind;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.Aggregate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by parent: one instance of state per (index, lookup, parent key) and per (index,
 * aggregate, parent key).
 * <ul>
 *   <li>Lookup: keeps the parent's projected fields and the children that reference it; a parent
 *       change fans out to every child's document, a new reference gets the fields at once (or
 *       nothing known yet: the document is completed when the parent arrives).</li>
 *   <li>Aggregate: keeps each child's contribution and the running results.</li>
 * </ul>
 * State is cleared when a parent is gone and nothing references it.
 */
public final class ParentStateFunction extends KeyedProcessFunction<String, EnrichMessage, EnrichMessage> {
    private final SyncSpec spec;

    private transient ValueState<Map<String, Object>> parentFields;
    private transient MapState<String, Boolean> referencingChildren;
    private transient MapState<String, Map<String, Object>> children;
    private transient ValueState<Map<String, Object>> results;

    public ParentStateFunction(SyncSpec spec) {
        this.spec = spec;
    }

    @Override
    public void open(OpenContext context) {
        TypeInformation<Map<String, Object>> row = TypeInformation.of(new TypeHint<Map<String, Object>>() {});
        parentFields = getRuntimeContext().getState(new ValueStateDescriptor<>("parent-fields", row));
        referencingChildren = getRuntimeContext().getMapState(new MapStateDescriptor<>("lookup-children", Types.STRING, Types.BOOLEAN));
        children = getRuntimeContext().getMapState(new MapStateDescriptor<>("aggregate-children", Types.STRING, row));
        results = getRuntimeContext().getState(new ValueStateDescriptor<>("aggregate-results", row));
    }

    @Override
    public void processElement(EnrichMessage message, Context context, Collector<EnrichMessage> out) throws Exception {
        // Target: P|L|index|lookup|parentKey or P|A|index|position|parentKey
        String[] target = message.target().split("\\|", 5);
        String index = target[2];
        if ("L".equals(target[1])) {
            lookup(index, message, out);
        } else {
            aggregate(index, spec.index(index).aggregates().get(Integer.parseInt(target[3])), message, out);
        }
    }

    private void lookup(String index, EnrichMessage message, Collector<EnrichMessage> out) throws Exception {
        String lookup = message.slot();
        switch (message.kind()) {
            case PARENT_ROW -> {
                if (message.values() == null) {
                    parentFields.clear();
                } else {
                    parentFields.update(message.values());
                }
                for (String child : referencingChildren.keys()) {
                    out.collect(EnrichMessage.part(EnrichMessage.documentTarget(index, child), lookup, message.parentKey(), message.values(), message.trace()));
                }
            }
            case REFERENCE_ADDED -> {
                referencingChildren.put(message.childKey(), true);
                out.collect(EnrichMessage.part(EnrichMessage.documentTarget(index, message.childKey()), lookup, message.parentKey(),
                        parentFields.value(), message.trace()));
            }
            case REFERENCE_REMOVED -> {
                referencingChildren.remove(message.childKey());
                out.collect(EnrichMessage.partRemoved(EnrichMessage.documentTarget(index, message.childKey()), lookup, message.parentKey(), message.trace()));
            }
            default -> throw new IllegalArgumentException("a lookup does not take " + message.kind());
        }
        if (parentFields.value() == null && referencingChildren.isEmpty()) {
            parentFields.clear();
            referencingChildren.clear();
        }
    }

    private void aggregate(String index, Aggregate aggregate, EnrichMessage message, Collector<EnrichMessage> out) throws Exception {
        if (message.kind() != Kind.CONTRIBUTION) {
            throw new IllegalArgumentException("an aggregate does not take " + message.kind());
        }
        Map<String, Object> current = results.value() == null ? Aggregation.empty(aggregate) : results.value();
        Map<String, Object> previous = children.get(message.childKey());
        if (previous != null) {
            children.remove(message.childKey());
            current = Aggregation.remove(aggregate, current, previous, this::remainingChildren);
        }
        if (message.values() != null) {
            children.put(message.childKey(), message.values());
            current = Aggregation.add(aggregate, current, message.values());
        }
        if (children.isEmpty()) {
            results.clear();
            current = Aggregation.empty(aggregate);
        } else {
            results.update(current);
        }
        out.collect(EnrichMessage.aggregates(EnrichMessage.documentTarget(index, message.parentKey()), message.slot(),
                Aggregation.ordered(current), message.trace()));
    }

    private Iterable<Map<String, Object>> remainingChildren() {
        try {
            List<Map<String, Object>> rows = new ArrayList<>();
            children.values().forEach(rows::add);
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read aggregate state", e);
        }
    }
}
