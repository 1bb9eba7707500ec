package io.datasync.job.normalize;

import io.datasync.job.decode.RowChange;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by table and primary key: keeps the last row seen and turns each change into a whole
 * before/after pair ({@link ChangelogNormalizer}). State: one row per live key of every synced
 * table; cleared when the row is deleted.
 */
public final class NormalizeFunction extends KeyedProcessFunction<String, RowChange, RowDelta> {
    private static final Logger LOG = LoggerFactory.getLogger(NormalizeFunction.class);

    private transient ValueState<Map<String, Object>> lastRow;
    private transient Counter unresolvedPlaceholders;

    @Override
    public void open(OpenContext context) {
        lastRow = getRuntimeContext().getState(new ValueStateDescriptor<>("last-row", TypeInformation.of(new TypeHint<Map<String, Object>>() {})));
        unresolvedPlaceholders = getRuntimeContext().getMetricGroup().counter("unresolvedToastPlaceholders");
    }

    @Override
    public void processElement(RowChange change, Context context, Collector<RowDelta> out) throws Exception {
        ChangelogNormalizer.Step step = ChangelogNormalizer.apply(lastRow.value(), change);
        if (step.unresolvedPlaceholders() > 0) {
            unresolvedPlaceholders.inc(step.unresolvedPlaceholders());
            LOG.warn("unchanged TOASTed column(s) of a row never seen whole are left out of its document; correlationId={}", change.correlationId());
        }
        if (step.current() == null) {
            lastRow.clear();
        } else {
            lastRow.update(step.current());
        }
        step.delta().ifPresent(out::collect);
    }

    /** The key this function is partitioned by. */
    public static String keyOf(RowChange change) {
        return change.table() + "|" + change.key();
    }
}
