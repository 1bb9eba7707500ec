package io.datasync.job.enrich;

import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.enrich.DocumentInput.AggregateResults;
import io.datasync.job.enrich.DocumentInput.Part;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.ParentUpdate.ParentChanged;
import io.datasync.job.spec.Relation;
import io.datasync.job.spec.Relation.AggregateUse;
import io.datasync.job.spec.Relation.LookupUse;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.types.Row;
import io.datasync.job.types.Shared;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by relation and parent ({@link ParentKey}): one place for everything a parent row is to
 * its children and they to it, however many indexes use the relation.
 * <ul>
 *   <li>{@code children}: each referencing child and its inputs to the aggregates (an empty row
 *       when the relation has none) — the lookups' fan-out list and the aggregates' inputs at once;</li>
 *   <li>{@code summary}: the parent's looked-up fields and the aggregate results.</li>
 * </ul>
 * A parent change is sent to every child's document; a child that joins gets the parent's fields
 * (nothing while the parent is unknown: its document is completed when the parent arrives); every
 * change of the children updates the results, sent to the parent's document. During Debezium's
 * snapshot the results are not kept up per child but computed once, when the snapshot has been
 * read ({@link SnapshotPhase}). State is cleared when the parent is gone and no child references it.
 *
 * <p>A parent change goes to at most {@code fanOutSlice} children per record or timer: a video with
 * 15,741 comments renamed under a backlog sent its parts in one {@code processElement} for 13.6 s,
 * and no checkpoint barrier gets in inside a record (bench/README.md). The rest waits in
 * {@code fan-out} state ({@link FanOut}), children in key order, and a processing-time timer sends
 * the next slice; both are in checkpoints, so a restore goes on where the checkpoint was. Each slice
 * reads the parent's fields anew, so whatever changed meanwhile, every child ends with the newest.
 */
public final class ParentStateFunction extends KeyedProcessFunction<ParentKey, ParentUpdate, DocumentInput> {
    /** Children sent a parent's change per record or timer unless told (the sink's default bulk size). */
    public static final int DEFAULT_FAN_OUT_SLICE = 2_000;

    private final Map<String, Relation> relations;
    private final boolean shareValues;
    private final int fanOutSlice;

    private transient ValueState<ParentSummary> summary;
    private transient MapState<String, Row> children;
    private transient ValueState<FanOut> fanOut;

    public ParentStateFunction(SyncSpec spec) {
        this(spec, true, DEFAULT_FAN_OUT_SLICE);
    }

    /**
     * {@code shareValues}: the children's tiny aggregate inputs ({"likes":0}) put into state as shared
     * instances ({@link Shared}) — memory saved on the heap backend, a lookup for nothing under RocksDB.
     */
    public ParentStateFunction(SyncSpec spec, boolean shareValues, int fanOutSlice) {
        if (fanOutSlice < 1) {
            throw new IllegalArgumentException("a fan-out slice needs at least one child, not " + fanOutSlice);
        }
        this.relations = Relation.of(spec);
        this.shareValues = shareValues;
        this.fanOutSlice = fanOutSlice;
        for (Relation relation : relations.values()) {
            if (relation.lookups().size() > Integer.SIZE - 1) {
                throw new IllegalArgumentException("relation " + relation.name() + " has more than 31 lookups (a fan-out keeps them as bits)");
            }
        }
    }

    @Override
    public void open(OpenContext context) {
        summary = getRuntimeContext().getState(new ValueStateDescriptor<>("parent-summary", new ParentSummary.Info().info()));
        children = getRuntimeContext().getMapState(new MapStateDescriptor<>("children", Types.STRING, new Row.Info().info()));
        fanOut = getRuntimeContext().getState(new ValueStateDescriptor<>("fan-out", new FanOut.Info().info()));
    }

    @Override
    public void processElement(ParentUpdate update, Context context, Collector<DocumentInput> out) throws Exception {
        Relation relation = relations.get(update.parent().relation());
        if (relation == null) {
            throw new IllegalStateException("relation " + update.parent().relation() + " is not in the sync spec");
        }
        ParentSummary stored = summary.value();
        ParentSummary current = stored == null ? ParentSummary.NONE : stored;
        ParentSummary next = update instanceof ParentChanged changed
                ? parentChanged(relation, current, changed, context, out)
                : childChanged(relation, current, (ChildChanged) update, context, out);
        // Unchanged (a child joining during the snapshot, say) is not written again: each write is a record in the state changelog.
        if (next != stored || next.fields() == null) {
            store(next);
        }
    }

    private ParentSummary parentChanged(Relation relation, ParentSummary current, ParentChanged changed, Context context, Collector<DocumentInput> out)
            throws Exception {
        int lookups = 0;
        for (int i = 0; i < relation.lookups().size(); i++) {
            LookupUse use = relation.lookups().get(i);
            Row part = project(changed.fields(), use);
            if (part == null || !part.equals(project(current.fields(), use))) {
                lookups |= 1 << i; // this lookup's fields changed
            }
        }
        if (lookups != 0) {
            sendSlice(relation, changed.fields(), new FanOut(lookups, null, changed.trace()), changed.parent().parent(), context.timerService(), out);
        }
        return current.withFields(changed.fields());
    }

    /**
     * The parts of {@code fanOut}'s lookups with {@code fields} to the next slice of children; what
     * is left goes to {@code fan-out} state with a timer. A fan-out that fits one slice (nearly all)
     * touches no more state than the children's keys. A change arriving while an earlier one is
     * still being sent starts over from the first child with the lookups of both.
     */
    private void sendSlice(Relation relation, Row fields, FanOut from, String parent, TimerService timers, Collector<DocumentInput> out)
            throws Exception {
        List<String> keys = new ArrayList<>();
        children.keys().forEach(keys::add);
        boolean resumed = from.after() != null;
        if (!resumed && keys.size() <= fanOutSlice) {
            send(relation, fields, from.lookups(), from.trace(), parent, keys, out);
            return;
        }
        keys.sort(null);
        FanOut pending = resumed ? from : fanOut.value();
        int lookups = from.lookups() | (resumed || pending == null ? 0 : pending.lookups());
        int start = 0;
        if (resumed) {
            int at = Collections.binarySearch(keys, from.after());
            start = at >= 0 ? at + 1 : -at - 1;
        }
        int end = Math.min(keys.size(), start + fanOutSlice);
        send(relation, fields, lookups, from.trace(), parent, keys.subList(start, end), out);
        if (end < keys.size()) {
            fanOut.update(new FanOut(lookups, keys.get(end - 1), from.trace()));
            timers.registerProcessingTimeTimer(timers.currentProcessingTime() + 1);
        } else if (pending != null) {
            fanOut.clear();
        }
    }

    private static void send(Relation relation, Row fields, int lookups, Trace trace, String parent, List<String> keys, Collector<DocumentInput> out) {
        for (int i = 0; i < relation.lookups().size(); i++) {
            if ((lookups & 1 << i) == 0) {
                continue;
            }
            LookupUse use = relation.lookups().get(i);
            Row part = project(fields, use);
            for (String child : keys) {
                out.collect(new Part(new DocumentKey(use.index(), child), use.lookup().name(), parent, part, trace));
            }
        }
    }

    private ParentSummary childChanged(Relation relation, ParentSummary current, ChildChanged change, Context context, Collector<DocumentInput> out)
            throws Exception {
        String parentKey = change.parent().parent();
        Row previous = children.get(change.child());
        int allLookups = (1 << relation.lookups().size()) - 1;
        if (change.contribution() == null) {
            children.remove(change.child());
            send(relation, null, allLookups, change.trace(), parentKey, List.of(change.child()), out); // the child leaves: empty parts
        } else {
            children.put(change.child(), shareValues ? Shared.of(change.contribution()) : change.contribution());
            if (previous == null && current.fields() != null) {
                send(relation, current.fields(), allLookups, change.trace(), parentKey, List.of(change.child()), out);
            }
        }
        if (relation.aggregates().isEmpty() || (previous == null && change.contribution() == null)) {
            return current;
        }
        if (SnapshotPhase.holds(context.timestamp(), context.timerService().currentWatermark())) {
            if (!current.held()) {
                context.timerService().registerEventTimeTimer(SnapshotPhase.SNAPSHOT_READ);
            }
            return current.withHeld(true);
        }
        if (current.held()) {
            return emitAll(relation, current.withHeld(false), parentKey, change.trace(), out);
        }
        ParentSummary next = current;
        for (AggregateUse use : relation.aggregates()) {
            String id = resultsId(use);
            Row before = current.results().getOrDefault(id, Aggregation.empty(use.aggregate()));
            Row after = before;
            if (previous != null) {
                after = Aggregation.remove(use.aggregate(), after, previous, this::childRows);
            }
            if (change.contribution() != null) {
                after = Aggregation.add(use.aggregate(), after, change.contribution());
            }
            if (!after.equals(before) || !current.results().containsKey(id)) {
                next = next.withResults(id, after);
                out.collect(new AggregateResults(new DocumentKey(use.index(), parentKey), use.aggregate().name(), after, change.trace()));
            }
        }
        return next;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentInput> out) throws Exception {
        if (context.timeDomain() == TimeDomain.PROCESSING_TIME) {
            FanOut pending = fanOut.value();
            if (pending != null) {
                ParentSummary current = summary.value();
                sendSlice(relations.get(context.getCurrentKey().relation()), current == null ? null : current.fields(), pending,
                        context.getCurrentKey().parent(), context.timerService(), out);
            }
            return;
        }
        ParentSummary current = summary.value();
        if (current != null && current.held()) {
            Relation relation = relations.get(context.getCurrentKey().relation());
            Trace trace = new Trace(relation.childTable(), "*", 0, 0);
            store(emitAll(relation, current.withHeld(false), context.getCurrentKey().parent(), trace, out));
        }
    }

    /** Every aggregate computed from all children and sent: the end of the snapshot, or the first change after it. */
    private ParentSummary emitAll(Relation relation, ParentSummary current, String parentKey, Trace trace, Collector<DocumentInput> out)
            throws Exception {
        List<Row> rows = childRows();
        ParentSummary next = current;
        for (AggregateUse use : relation.aggregates()) {
            Row results = Aggregation.compute(use.aggregate(), rows);
            next = next.withResults(resultsId(use), results);
            out.collect(new AggregateResults(new DocumentKey(use.index(), parentKey), use.aggregate().name(), results, trace));
        }
        return next;
    }

    private void store(ParentSummary next) throws Exception {
        if (next.fields() == null && !next.held() && children.isEmpty()) {
            summary.clear();
        } else {
            summary.update(next);
        }
    }

    private List<Row> childRows() {
        try {
            List<Row> rows = new ArrayList<>();
            children.values().forEach(rows::add);
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the children of a parent", e);
        }
    }

    private static Row project(Row fields, LookupUse use) {
        return fields == null ? null : fields.project(use.lookup().fields());
    }

    private static String resultsId(AggregateUse use) {
        return use.index() + "/" + use.aggregate().name();
    }
}
