package io.datasync.job.normalize;

import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.decode.RowChange;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by table and primary key: keeps the last row seen and turns each change into a whole
 * before/after pair ({@link ChangelogNormalizer}). A truncate has no key: {@link TruncateFanOut}
 * sends a copy of it to every key group through the same keyed exchange as the rows, so this
 * operator has one input, which unaligned checkpoints can overtake (an operator with a broadcast
 * input keeps all its inputs aligned). The first copy a subtask gets deletes every row of the table
 * it keeps and records the truncate's LSN, to drop older changes of the table that arrive after it;
 * the other copies find that LSN and do nothing. State: one {@link LastRow} per live key of every
 * synced table, cleared when the row is deleted; the LSN of a key's delete for a day (so that a
 * stale read of Debezium's incremental snapshot cannot bring the row back, see
 * {@link ChangelogNormalizer#applyIncrementalRead}); one LSN per truncated table, in broadcast
 * operator state (the same on every subtask, and where builds that had a broadcast input kept it).
 * A column that vanishes from a table's rows (ALTER TABLE … DROP COLUMN) is reported once per
 * subtask on the dead-letter topic: documents of rows not changed since still carry it.
 *
 * <p>An operator rather than a KeyedProcessFunction because a truncate visits every key of the
 * subtask ({@code applyToAllKeys}) and reads operator state.
 */
public final class NormalizeOperator extends AbstractStreamOperator<RowDelta> implements OneInputStreamOperator<RowChange, RowDelta> {
    /** Table → LSN of its last truncate. */
    public static final MapStateDescriptor<String, Long> TRUNCATES = new MapStateDescriptor<>("truncated-at-lsn", Types.STRING, Types.LONG);
    static final ValueStateDescriptor<LastRow> LAST_ROW = new ValueStateDescriptor<>("last-row", new LastRow.Info().info());
    /** How long a deleted key is remembered: a stale read of it follows its delete on the same partition within moments. */
    static final Duration DELETES_REMEMBERED = Duration.ofDays(1);
    static final ValueStateDescriptor<Long> DELETED_AT = deletedAt();
    private static final Logger LOG = LoggerFactory.getLogger(NormalizeOperator.class);
    /** Notices of dropped columns, for the dead-letter topic. */
    public static final OutputTag<DeadLetter> SCHEMA_NOTICES = new OutputTag<>("schema-notices") {};

    private transient BroadcastState<String, Long> truncates;
    private transient ValueState<LastRow> lastRow;
    private transient ValueState<Long> deletedAt;
    private transient TimestampedCollector<RowDelta> out;
    private transient Counter staleReads;
    private transient Counter unresolvedPlaceholders;
    private transient Counter truncatedRows;
    private transient Counter predatingTruncate;
    private transient Set<String> reportedDrops;
    private transient Counter droppedColumns;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        truncates = context.getOperatorStateStore().getBroadcastState(TRUNCATES);
    }

    @Override
    public void open() throws Exception {
        super.open();
        lastRow = getPartitionedState(LAST_ROW);
        deletedAt = getPartitionedState(DELETED_AT);
        out = new TimestampedCollector<>(output);
        staleReads = getMetricGroup().counter("staleSnapshotReadsDropped");
        unresolvedPlaceholders = getMetricGroup().counter("unresolvedToastPlaceholders");
        truncatedRows = getMetricGroup().counter("rowsTruncated");
        predatingTruncate = getMetricGroup().counter("changesBeforeTruncateDropped");
        reportedDrops = new HashSet<>();
        droppedColumns = getMetricGroup().counter("droppedColumnsReported");
    }

    @Override
    public void processElement(StreamRecord<RowChange> element) throws Exception {
        RowChange change = element.getValue();
        out.setTimestamp(element);
        if (change.op() == RowChange.Op.TRUNCATE) {
            truncate(change);
            return;
        }
        Long truncatedAt = truncates.get(change.table());
        if (ChangelogNormalizer.predatesTruncate(change.lsn(), truncatedAt)) {
            predatingTruncate.inc();
            return;
        }
        LastRow previous = lastRow.value();
        reportDroppedColumns(previous, change, element);
        ChangelogNormalizer.Step step;
        if (change.incrementalRead()) {
            // Read only here: a lookup of the deleted keys per change would cost every change a state read.
            boolean gone = previous == null && (deletedAt.value() != null || truncatedAt != null);
            if (gone) {
                staleReads.inc();
                LOG.info("an incremental snapshot's read of a row deleted before it came is dropped as stale; correlationId={}", change.correlationId());
            }
            step = ChangelogNormalizer.applyIncrementalRead(previous, gone, change);
        } else {
            step = ChangelogNormalizer.apply(previous, change);
        }
        if (step.unresolvedPlaceholders() > 0) {
            unresolvedPlaceholders.inc(step.unresolvedPlaceholders());
            LOG.warn("unchanged TOASTed column(s) of a row never seen whole are left out of its document; correlationId={}", change.correlationId());
        }
        if (change.op() == RowChange.Op.DELETE) {
            deletedAt.update(change.lsn());
        }
        if (step.current() == previous) {
            // unchanged (a read that added nothing): no state write
        } else if (step.current() == null) {
            lastRow.clear();
        } else {
            lastRow.update(step.current());
        }
        step.delta().ifPresent(out::collect);
    }

    /** The first copy of a truncate on this subtask deletes the table's kept rows; later copies, and a replay after a restore, find its LSN recorded. */
    private void truncate(RowChange truncate) throws Exception {
        Long previous = truncates.get(truncate.table());
        if (previous != null && previous >= truncate.lsn()) {
            return;
        }
        truncates.put(truncate.table(), truncate.lsn());
        long before = truncatedRows.getCount();
        KeyedStateBackend<RowKey> rows = getKeyedStateBackend();
        rows.applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, LAST_ROW, (key, row) -> {
            if (key.table().equals(truncate.table())) {
                ChangelogNormalizer.truncated(truncate.table(), key.key(), row.value(), truncate).ifPresent(delete -> {
                    out.collect(delete);
                    row.clear();
                    truncatedRows.inc();
                });
            }
        });
        LOG.info("truncate of {} deleted {} rows kept by this subtask; correlationId={}", truncate.table(), truncatedRows.getCount() - before,
                RowChange.correlationId(truncate.table(), "*", truncate.lsn()));
    }

    private static ValueStateDescriptor<Long> deletedAt() {
        ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("deleted-at-lsn", Types.LONG);
        // Expired in the background (RocksDB's compaction filter, the heap's incremental cleanup): deletes never pile up.
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(DELETES_REMEMBERED).build());
        return descriptor;
    }

    private void reportDroppedColumns(LastRow previous, RowChange change, StreamRecord<RowChange> element) {
        Set<String> dropped = new TreeSet<>(ChangelogNormalizer.droppedColumns(previous, change));
        dropped.removeIf(column -> !reportedDrops.add(change.table() + "." + column));
        if (dropped.isEmpty()) {
            return;
        }
        String reason = "schema change: column(s) " + dropped + " of table " + change.table() + " no longer come with its rows (ALTER TABLE … DROP"
                + " COLUMN?); a document loses them when its row next changes, documents of rows not changed since keep them until the index is"
                + " rebuilt";
        droppedColumns.inc(dropped.size());
        LOG.warn("{}; correlationId={}", reason, change.correlationId());
        RowChange.Origin origin = change.origin();
        DeadLetter notice = new DeadLetter("normalize", reason, origin == null ? null : origin.topic(), origin == null ? -1 : origin.partition(),
                origin == null ? -1 : origin.offset(), change.key(), null, change.correlationId(), System.currentTimeMillis());
        output.collect(SCHEMA_NOTICES, element.hasTimestamp() ? new StreamRecord<>(notice, element.getTimestamp()) : new StreamRecord<>(notice));
    }
}
