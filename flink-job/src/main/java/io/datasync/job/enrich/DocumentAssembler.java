package io.datasync.job.enrich;

import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by document (index and id): the one writer of each document. Keeps the root row, the
 * looked-up parts and the aggregate results, and writes the document a short while after its last
 * input ({@code coalesceMillis}), so the parts of a row that arrive together make one write, not
 * three. Facts from Debezium's initial snapshot wait for the end of the snapshot instead
 * ({@link SnapshotPhase}): a document is then written once, with every part and aggregate the
 * snapshot holds. Every write carries a version from {@link Versions}.
 *
 * <p>State per document: the inputs above and a write counter. The counter outlives a delete, so
 * a re-inserted id keeps getting higher versions than its tombstone: that long per deleted id is
 * the state this operator keeps forever.
 */
public final class DocumentAssembler extends KeyedProcessFunction<String, EnrichMessage, DocumentWrite> implements CheckpointedFunction {
    /** {@code pending-write-at} while the write waits for the end of the snapshot. */
    private static final long HELD_FOR_SNAPSHOT = Long.MIN_VALUE;
    /**
     * Held documents released per millisecond once the snapshot has been read. Written from one
     * watermark, all of them would be emitted in one uninterruptible loop: the sink's bulk
     * responses (queued in the task's mailbox, each holding its whole request) and checkpoints
     * would wait until the last one. Spread over processing-time timers, each timer call writes
     * a few and the mailbox runs in between.
     */
    static final int RELEASED_PER_MILLI = 10;

    private final SyncSpec spec;
    private final long coalesceMillis;

    private transient ValueState<Map<String, Object>> root;
    private transient MapState<String, Map<String, Object>> parts;
    private transient MapState<String, Map<String, Object>> aggregates;
    private transient ValueState<Long> writes;
    private transient ValueState<Long> pendingTimer;
    private transient ValueState<String> lastCorrelation;
    private transient ValueState<Long> lastCommitMillis;
    private transient ListState<Long> epochState;
    private transient long epoch;
    private transient long releaseSlot;
    private transient int releasedInSlot;
    private transient Counter documentsOut;

    public DocumentAssembler(SyncSpec spec, long coalesceMillis) {
        this.spec = spec;
        this.coalesceMillis = coalesceMillis;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        epochState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("write-epoch", Types.LONG));
        long restored = 0;
        for (Long value : epochState.get()) {
            restored = Math.max(restored, value);
        }
        epoch = Versions.nextEpoch(restored, System.currentTimeMillis());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        epochState.update(java.util.List.of(epoch));
    }

    @Override
    public void open(OpenContext context) {
        TypeInformation<Map<String, Object>> row = TypeInformation.of(new TypeHint<Map<String, Object>>() {});
        root = getRuntimeContext().getState(new ValueStateDescriptor<>("root-row", row));
        parts = getRuntimeContext().getMapState(new MapStateDescriptor<>("lookup-parts", Types.STRING, row));
        aggregates = getRuntimeContext().getMapState(new MapStateDescriptor<>("aggregate-results", Types.STRING, row));
        writes = getRuntimeContext().getState(new ValueStateDescriptor<>("write-counter", Types.LONG));
        pendingTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-write-at", Types.LONG));
        lastCorrelation = getRuntimeContext().getState(new ValueStateDescriptor<>("last-correlation-id", Types.STRING));
        lastCommitMillis = getRuntimeContext().getState(new ValueStateDescriptor<>("last-commit-millis", Types.LONG));
        documentsOut = getRuntimeContext().getMetricGroup().counter("documentsAssembled");
    }

    @Override
    public void processElement(EnrichMessage message, Context context, Collector<DocumentWrite> out) throws Exception {
        switch (message.kind()) {
            case ROOT_ROW -> {
                if (message.values() == null) {
                    root.clear();
                } else {
                    root.update(message.values());
                }
            }
            case PART -> parts.put(DocumentBuilder.partKey(message.slot(), message.parentKey()),
                    message.values() == null ? new HashMap<>() : message.values());
            case PART_REMOVED -> parts.remove(DocumentBuilder.partKey(message.slot(), message.parentKey()));
            case AGGREGATES -> aggregates.put(message.slot(), message.values());
            default -> throw new IllegalArgumentException("a document does not take " + message.kind());
        }
        lastCorrelation.update(message.correlationId());
        lastCommitMillis.update(message.commitMillis());
        Long pending = pendingTimer.value();
        if (SnapshotPhase.holds(context.timestamp(), context.timerService().currentWatermark())) {
            if (pending == null) {
                context.timerService().registerEventTimeTimer(SnapshotPhase.SNAPSHOT_READ);
                pendingTimer.update(HELD_FOR_SNAPSHOT);
            }
        } else if (pending == null || pending == HELD_FOR_SNAPSHOT) {
            long at = context.timerService().currentProcessingTime() + coalesceMillis;
            context.timerService().registerProcessingTimeTimer(at);
            pendingTimer.update(at);
        }
    }

    /** The millisecond at which the next held document is written: {@link #RELEASED_PER_MILLI} per millisecond from now on. */
    private long nextReleaseSlot(long now) {
        if (releaseSlot < now) {
            releaseSlot = now;
            releasedInSlot = 0;
        }
        if (releasedInSlot == RELEASED_PER_MILLI) {
            releaseSlot++;
            releasedInSlot = 0;
        }
        releasedInSlot++;
        return releaseSlot;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<DocumentWrite> out) throws Exception {
        Long pending = pendingTimer.value();
        if (context.timeDomain() == TimeDomain.EVENT_TIME) {
            if (pending != null && pending == HELD_FOR_SNAPSHOT) {
                long at = nextReleaseSlot(context.timerService().currentProcessingTime());
                context.timerService().registerProcessingTimeTimer(at);
                pendingTimer.update(at);
            }
            return; // otherwise a streamed change came meanwhile: its coalescing timer writes (or wrote) the document
        }
        pendingTimer.clear();
        String[] key = context.getCurrentKey().split("\\|", 3);
        IndexSpec index = spec.index(key[1]);
        String id = key[2];
        long counter = writes.value() == null ? 1 : writes.value() + 1;
        writes.update(counter);
        long version = Versions.version(epoch, counter);
        Map<String, Object> row = root.value();
        if (row == null) {
            // Deleted, or only parts/aggregates known so far: no document; a delete is idempotent.
            out.collect(new DocumentWrite(index.concreteIndex(), id, null, version, lastCommitMillis.value(), lastCorrelation.value()));
            for (int i = 0; i < index.aggregates().size(); i++) {
                String slot = Integer.toString(i);
                if (Aggregation.empty(index.aggregates().get(i)).equals(aggregates.get(slot))) {
                    aggregates.remove(slot);
                }
            }
            if (parts.isEmpty() && aggregates.isEmpty()) {
                lastCorrelation.clear();
                lastCommitMillis.clear();
            }
        } else {
            Map<String, Map<String, Object>> partsNow = new HashMap<>();
            for (Map.Entry<String, Map<String, Object>> part : parts.entries()) {
                partsNow.put(part.getKey(), part.getValue());
            }
            Map<String, Map<String, Object>> aggregatesNow = new HashMap<>();
            for (Map.Entry<String, Map<String, Object>> results : aggregates.entries()) {
                aggregatesNow.put(results.getKey(), results.getValue());
            }
            out.collect(new DocumentWrite(index.concreteIndex(), id, DocumentBuilder.build(index, row, partsNow, aggregatesNow), version,
                    lastCommitMillis.value(), lastCorrelation.value()));
        }
        documentsOut.inc();
    }
}
