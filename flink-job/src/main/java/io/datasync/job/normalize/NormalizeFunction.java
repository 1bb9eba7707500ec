package io.datasync.job.normalize;

import io.datasync.job.decode.RowChange;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by table and primary key: keeps the last row seen and turns each change into a whole
 * before/after pair ({@link ChangelogNormalizer}). Truncates come on the broadcast input, as they
 * have no key: each subtask deletes every row of the table it keeps, and remembers the truncate's
 * LSN to drop older changes of the table that arrive after it. State: one row and its LSN per live
 * key of every synced table, cleared when the row is deleted; one LSN per truncated table.
 */
public final class NormalizeFunction extends KeyedBroadcastProcessFunction<String, RowChange, RowChange, RowDelta> {
    /** Table → LSN of its last truncate. */
    public static final MapStateDescriptor<String, Long> TRUNCATES = new MapStateDescriptor<>("truncated-at-lsn", Types.STRING, Types.LONG);
    private static final ValueStateDescriptor<Map<String, Object>> LAST_ROW =
            new ValueStateDescriptor<>("last-row", TypeInformation.of(new TypeHint<Map<String, Object>>() {}));
    private static final Logger LOG = LoggerFactory.getLogger(NormalizeFunction.class);

    private transient ValueState<Map<String, Object>> lastRow;
    private transient ValueState<Long> lastLsn;
    private transient Counter unresolvedPlaceholders;
    private transient Counter truncatedRows;
    private transient Counter predatingTruncate;

    @Override
    public void open(OpenContext context) {
        lastRow = getRuntimeContext().getState(LAST_ROW);
        lastLsn = getRuntimeContext().getState(new ValueStateDescriptor<>("last-lsn", Types.LONG));
        unresolvedPlaceholders = getRuntimeContext().getMetricGroup().counter("unresolvedToastPlaceholders");
        truncatedRows = getRuntimeContext().getMetricGroup().counter("rowsTruncated");
        predatingTruncate = getRuntimeContext().getMetricGroup().counter("changesBeforeTruncateDropped");
    }

    @Override
    public void processElement(RowChange change, ReadOnlyContext context, Collector<RowDelta> out) throws Exception {
        if (ChangelogNormalizer.predatesTruncate(change.lsn(), context.getBroadcastState(TRUNCATES).get(change.table()))) {
            predatingTruncate.inc();
            return;
        }
        ChangelogNormalizer.Step step = ChangelogNormalizer.apply(lastRow.value(), change);
        if (step.unresolvedPlaceholders() > 0) {
            unresolvedPlaceholders.inc(step.unresolvedPlaceholders());
            LOG.warn("unchanged TOASTed column(s) of a row never seen whole are left out of its document; correlationId={}", change.correlationId());
        }
        if (step.current() == null) {
            lastRow.clear();
            lastLsn.clear();
        } else {
            lastRow.update(step.current());
            lastLsn.update(change.lsn());
        }
        step.delta().ifPresent(out::collect);
    }

    @Override
    public void processBroadcastElement(RowChange truncate, Context context, Collector<RowDelta> out) throws Exception {
        BroadcastState<String, Long> truncates = context.getBroadcastState(TRUNCATES);
        Long previous = truncates.get(truncate.table());
        if (previous != null && previous >= truncate.lsn()) {
            return; // replayed after a restore: already applied
        }
        truncates.put(truncate.table(), truncate.lsn());
        String prefix = truncate.table() + "|";
        long before = truncatedRows.getCount();
        context.applyToKeyedState(LAST_ROW, (key, row) -> {
            if (key.startsWith(prefix)) {
                Long rowLsn = lastLsn.value();
                ChangelogNormalizer.truncated(truncate.table(), key.substring(prefix.length()), row.value(), rowLsn == null ? 0 : rowLsn, truncate)
                        .ifPresent(delete -> {
                            out.collect(delete);
                            row.clear();
                            lastLsn.clear();
                            truncatedRows.inc();
                        });
            }
        });
        LOG.info("truncate of {} deleted {} rows kept by this subtask; correlationId={}", truncate.table(), truncatedRows.getCount() - before,
                truncate.table() + ":*@" + truncate.lsn());
    }

    /** The key this function is partitioned by. */
    public static String keyOf(RowChange change) {
        return change.table() + "|" + change.key();
    }
}
