package io.datasync.job.enrich;

import io.datasync.job.decode.SnapshotPhase;
import io.datasync.job.sink.DocumentWrite;
import io.datasync.job.sink.IndexTargets;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.types.Row;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.RocksDBKeyedStateBackend;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keyed by document: the one writer of each document. Keeps one {@link DocumentState} per document
 * and writes the document a short while after its last input ({@code coalesceMillis}), so the
 * parts of a row that arrive together make one write, not three. Every write carries a version
 * from {@link Versions}. The documents waiting out that delay are queued on the heap, not given a
 * keyed timer each: in RocksDB a timer is a put and a delete, and the tombstones of millions of them
 * made a restored subtask seek for its first timers for ~27 s (2026-12-05). A checkpoint gives the
 * waiting documents their timers ({@link #prepareSnapshotPreBarrier}), so a restore still writes them.
 *
 * <p>Inputs from Debezium's initial snapshot wait for the end of the snapshot instead
 * ({@link SnapshotPhase}): a document is then written once, with every part and aggregate the
 * snapshot holds. Flink fires all due timers in one uninterruptible loop, and written from it, the
 * released documents (and, under a backlog, the coalesced ones) would keep checkpoints and the sink's
 * responses waiting behind it. A fired timer only queues its document; the queue is written in
 * batches of {@code writeBatch} (the sink's bulk size), one batch per turn of the task's mailbox, so
 * each batch goes as fast as the sink takes it (its backpressure blocks the emit) and checkpoints run
 * in between. This is why the operator is not a KeyedProcessFunction: a batch writes many keys.
 *
 * <p>State: the documents, and a write counter per deleted id, kept forever (see {@link DocumentState}).
 */
public final class DocumentAssembler extends AbstractStreamOperator<DocumentWrite>
        implements OneInputStreamOperator<DocumentInput, DocumentWrite>, Triggerable<DocumentKey, VoidNamespace> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DocumentAssembler.class);
    private static final ValueStateDescriptor<DocumentState> DOCUMENTS = new ValueStateDescriptor<>("document", new DocumentState.Info().info());
    static final String TIMERS = "document-timers";
    /** The column family of {@link #TIMERS}' event-time timers in RocksDB (Flink names it {@code _timer_state/event_<service>}). */
    static final String EVENT_TIMERS_COLUMN_FAMILY = "_timer_state/event_" + TIMERS;

    private final SyncSpec spec;
    private final long coalesceMillis;
    private final int writeBatch;
    private final long recordedEpoch;
    private final IndexTargets targets;
    private final boolean shareValues;

    private transient ValueState<DocumentState> documents;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient ListState<Long> epochState;
    private transient ListState<Boolean> releasingState;
    private transient boolean heldWithoutTimer;
    private transient long epoch;
    /** Documents waiting out their coalescing delay, in the order they fall due (processing time only grows). */
    private transient ArrayDeque<Due> coalescing;
    private transient boolean coalescingScheduled;
    /** Documents whose delay or timer is over, written a batch per turn of the mailbox: held ones released, and coalesced ones. */
    private transient ArrayDeque<Due> due;
    private transient boolean dueScheduled;
    /** How many of {@link #due} are held documents released at the end of the snapshot. */
    private transient int releasesDue;
    private transient Map<String, IndexSpec> indexes;
    private transient Map<String, java.util.Set<String>> fieldsOverColumns;
    private transient Map<String, Map<String, Row>> emptyResults;
    private transient Counter documentsOut;
    private transient Counter computedFieldErrors;
    /** Documents this subtask holds for the end of the snapshot, counted since it started (a gauge: the status page's job phase). */
    private transient volatile long held;
    /** Whether this run held documents whose spent timers are not compacted yet (see {@link #notifyCheckpointComplete}). */
    private transient boolean heldInThisRun;
    /** The first checkpoint taken once every held document was written, after which the timers are compacted; -1 before. */
    private transient long compactAfterCheckpoint;

    public DocumentAssembler(SyncSpec spec, long coalesceMillis, int writeBatch) {
        this(spec, IndexTargets.ofSpec(spec), coalesceMillis, writeBatch, 0, true);
    }

    /**
     * {@code targets}: the concrete index each alias is written to; {@code recordedEpoch}: the highest
     * epoch recorded for them when the job was submitted (the job writes above it); {@code shareValues}:
     * looked-up fields kept as one instance per parent (for the heap backend, see {@link DocumentState#apply}).
     */
    public DocumentAssembler(SyncSpec spec, IndexTargets targets, long coalesceMillis, int writeBatch, long recordedEpoch, boolean shareValues) {
        this.spec = spec;
        this.shareValues = shareValues;
        this.targets = targets;
        this.coalesceMillis = coalesceMillis;
        this.writeBatch = writeBatch;
        this.recordedEpoch = recordedEpoch;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        epochState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("write-epoch", Types.LONG));
        long restored = 0;
        for (Long value : epochState.get()) {
            restored = Math.max(restored, value);
        }
        epoch = Versions.nextEpoch(restored, recordedEpoch, System.currentTimeMillis());
        // Whether any subtask was releasing held documents at the checkpoint (or, from a build that did not
        // say, might have been): only then can a restored document be held without a timer.
        releasingState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("releasing-held", Types.BOOLEAN));
        boolean said = false;
        for (Boolean releasing : releasingState.get()) {
            said = true;
            heldWithoutTimer |= releasing;
        }
        heldWithoutTimer |= context.isRestored() && !said;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        epochState.update(List.of(epoch));
        releasingState.update(List.of(releasesDue > 0));
        if (heldInThisRun && compactAfterCheckpoint < 0 && releasesDue == 0 && held == 0) {
            compactAfterCheckpoint = context.getCheckpointId();
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        documents = getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, DOCUMENTS);
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        coalescing = new ArrayDeque<>();
        due = new ArrayDeque<>();
        compactAfterCheckpoint = -1;
        indexes = new HashMap<>();
        fieldsOverColumns = new HashMap<>();
        emptyResults = new HashMap<>();
        for (IndexSpec index : spec.indexes()) {
            indexes.put(index.name(), index);
            fieldsOverColumns.put(index.name(), index.fieldsOverColumns());
            Map<String, Row> empty = new HashMap<>();
            for (Aggregate aggregate : index.aggregates()) {
                empty.put(aggregate.name(), Aggregation.empty(aggregate));
            }
            for (SyncSpec.ArraySpec array : index.arrays()) {
                empty.put(array.name(), ArrayState.Use.of(index, array).empty());
            }
            emptyResults.put(index.name(), empty);
        }
        documentsOut = getMetricGroup().counter("documentsAssembled");
        computedFieldErrors = getMetricGroup().counter("computedFieldErrors");
        // The job's phase for the status page: documents held while the snapshot is read, then those still to be released.
        getMetricGroup().gauge("snapshotDocumentsHeld", (Gauge<Long>) () -> held);
        getMetricGroup().gauge("snapshotDocumentsToRelease", (Gauge<Integer>) () -> releasesDue);
        getMetricGroup().gauge("documentsDue", (Gauge<Integer>) () -> due.size());
        // A batch released before a checkpoint but not yet written is held in state without a timer: give it one
        // again. This reads every document (~25 s at seed size in RocksDB), so only when such a batch can exist.
        if (heldWithoutTimer) {
            getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, DOCUMENTS, (key, state) -> {
                DocumentState document = state.value();
                if (document != null && document.pendingAt() == DocumentState.HELD_FOR_SNAPSHOT) {
                    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, SnapshotPhase.SNAPSHOT_READ);
                }
            });
        }
    }

    @Override
    public void processElement(StreamRecord<DocumentInput> element) throws Exception {
        DocumentState state = documents.value();
        state = (state == null ? DocumentState.NEW : state).apply(element.getValue(), shareValues);
        long pending = state.pendingAt();
        long timestamp = element.hasTimestamp() ? element.getTimestamp() : SnapshotPhase.STREAMING;
        if (SnapshotPhase.holds(timestamp, timers.currentWatermark())) {
            if (pending == DocumentState.NOT_PENDING) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, SnapshotPhase.SNAPSHOT_READ);
                state = state.pending(DocumentState.HELD_FOR_SNAPSHOT);
                held++;
                heldInThisRun = true;
            }
        } else if (pending == DocumentState.NOT_PENDING || pending == DocumentState.HELD_FOR_SNAPSHOT) {
            if (pending == DocumentState.HELD_FOR_SNAPSHOT) {
                released();
            }
            long at = timers.currentProcessingTime() + coalesceMillis;
            coalescing.add(new Due((DocumentKey) getCurrentKey(), at));
            scheduleCoalesced();
            state = state.pending(at);
        }
        documents.update(state);
    }

    @Override
    public void onEventTime(InternalTimer<DocumentKey, VoidNamespace> timer) {
        // Not read here: the release reads the document anyway, and skips it if a streamed change came
        // meanwhile (its coalescing timer writes or wrote it). One state read less per held document.
        due.add(new Due(timer.getKey(), DocumentState.HELD_FOR_SNAPSHOT));
        releasesDue++;
        scheduleDueWrites();
    }

    /**
     * A coalesced document's timer, registered at a checkpoint ({@link #prepareSnapshotPreBarrier}) and
     * fired in this run or after a restore. Queued, not written here: Flink fires every due timer in one
     * loop, and while the sink has no room for a write the loop waits with it, and the task reads no
     * checkpoint barrier (under a backlog the assembler's barriers were 4–9 s late, 2026-12-03). Batches
     * of {@code writeBatch} let barriers in between.
     */
    @Override
    public void onProcessingTime(InternalTimer<DocumentKey, VoidNamespace> timer) {
        due.add(new Due(timer.getKey(), timer.getTimestamp()));
        scheduleDueWrites();
    }

    /** One callback for the earliest waiting document (not one keyed timer per document, see the class comment). */
    private void scheduleCoalesced() {
        if (!coalescingScheduled && !coalescing.isEmpty()) {
            coalescingScheduled = true;
            getProcessingTimeService().registerTimer(coalescing.peek().at(), this::coalescedDue);
        }
    }

    private void coalescedDue(long time) {
        coalescingScheduled = false;
        long now = Math.max(time, getProcessingTimeService().getCurrentProcessingTime());
        boolean any = false;
        while (!coalescing.isEmpty() && coalescing.peek().at() <= now) {
            due.add(coalescing.poll());
            any = true;
        }
        scheduleCoalesced();
        if (any) {
            scheduleDueWrites();
        }
    }

    private void scheduleDueWrites() {
        if (!dueScheduled) {
            dueScheduled = true;
            getProcessingTimeService().registerTimer(getProcessingTimeService().getCurrentProcessingTime(), now -> writeDue());
        }
    }

    private void writeDue() throws Exception {
        dueScheduled = false;
        for (int i = 0; i < writeBatch && !due.isEmpty(); i++) {
            Due next = due.poll();
            boolean release = next.at() == DocumentState.HELD_FOR_SNAPSHOT;
            if (release) {
                releasesDue--;
            }
            setCurrentKey(next.key());
            DocumentState state = documents.value();
            // Skipped if a later input rescheduled it: a streamed change after a release, a newer timer after a coalesced one.
            if (state != null && state.pendingAt() == next.at()) {
                write(next.key(), state);
                if (release) {
                    released();
                }
            }
        }
        if (!due.isEmpty()) {
            scheduleDueWrites();
        }
    }

    /**
     * Once every document held during the snapshot is written, the put and the delete of each one's timer are
     * compacted out of RocksDB, after a checkpoint taken since (its snapshot writes out the timer deletions
     * RocksDB's timer queue still batches). Left in place, they are in every later checkpoint, and a restored subtask's timer
     * service seeks through them for the first timer of each key group: 25–33 s at seed size (bench/README.md).
     * Once per run, ~1 s on the task thread; RocksDB's TTL compaction ({@code CompactionOptions}) is the fallback.
     */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (compactAfterCheckpoint >= 0 && checkpointId >= compactAfterCheckpoint) {
            heldInThisRun = false;
            compactAfterCheckpoint = -1;
            compactSpentTimers();
        }
    }

    private void compactSpentTimers() {
        if (!(getKeyedStateBackend() instanceof RocksDBKeyedStateBackend<?> rocksDb)) {
            return;
        }
        long started = System.nanoTime();
        try {
            // compactState finds a column family by the descriptor's name only.
            rocksDb.compactState(new ValueStateDescriptor<>(EVENT_TIMERS_COLUMN_FAMILY, Types.LONG));
            LOG.info("compacted the spent timers of the documents held during the snapshot in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("could not compact the spent timers of the documents held during the snapshot (RocksDB's TTL compaction will): {}", e.toString());
        }
    }

    /**
     * The coalesced documents on the heap, waiting or queued for writing, get keyed timers before the
     * checkpoint's timers are taken (they are, before {@code snapshotState}), so a restore still writes
     * them; from here on their timers write them (due ones at once). Queued releases stay: a restore
     * finds them by the {@code releasing-held} flag ({@link #open}).
     */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        for (Due waiting : coalescing) {
            setCurrentKey(waiting.key());
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, waiting.at());
        }
        coalescing.clear();
        due.removeIf(next -> {
            if (next.at() == DocumentState.HELD_FOR_SNAPSHOT) {
                return false;
            }
            setCurrentKey(next.key());
            timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, next.at());
            return true;
        });
    }

    /**
     * A document whose timer fired: {@code at} the time of its coalescing timer, or
     * {@link DocumentState#HELD_FOR_SNAPSHOT} for a release. Written if it is still pending for that.
     */
    private record Due(DocumentKey key, long at) {}

    /** Whether this restored subtask scans its documents for held ones without a timer (see {@link #open}). */
    boolean rescansHeldDocuments() {
        return heldWithoutTimer;
    }

    /** One held document less (not below 0: documents held before a restore were not counted by this subtask). */
    private void released() {
        held = Math.max(0, held - 1);
    }

    /** Documents this subtask holds for the end of the snapshot (see {@link #held}). */
    long heldDocuments() {
        return held;
    }

    private void write(DocumentKey key, DocumentState state) throws Exception {
        IndexSpec index = indexes.get(key.index());
        DocumentState written = state.written(emptyResults.get(key.index()));
        long version = Versions.version(epoch, written.writes());
        Trace last = state.last();
        byte[] source = state.root() == null ? null : DocumentBuilder.build(index, fieldsOverColumns.get(index.name()), state, problem -> {
            computedFieldErrors.inc();
            LOG.warn("{} (document {}, correlation id {})", problem, key.id(), last == null ? null : last.correlationId(key.id()));
        });
        output.collect(new StreamRecord<>(new DocumentWrite(index.name(), targets.concrete(index.name()), key.id(), source, version,
                last == null ? 0 : last.commitMillis(), last == null ? null : last.correlationId(key.id()))));
        documents.update(written);
        documentsOut.inc();
    }
}
