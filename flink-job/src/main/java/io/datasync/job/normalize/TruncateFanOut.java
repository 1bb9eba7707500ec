package io.datasync.job.normalize;

import io.datasync.job.decode.RowChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.Collector;

/**
 * Passes row changes on and turns a truncate, which has no key, into one copy per key group of
 * normalize, each with a routing key that falls into its group: every normalize subtask owns a key
 * group, so every one gets the truncate, through the same keyed exchange as the rows (in order with
 * the rows of the same source partition). See {@link NormalizeOperator}.
 */
public final class TruncateFanOut extends RichFlatMapFunction<RowChange, RowChange> {
    private transient int maxParallelism;
    private transient Map<String, List<String>> routingKeys;

    @Override
    public void open(OpenContext context) {
        // The job sets one maximum parallelism for every operator: this one's is normalize's.
        maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        routingKeys = new HashMap<>();
    }

    @Override
    public void flatMap(RowChange change, Collector<RowChange> out) {
        if (change.op() != RowChange.Op.TRUNCATE) {
            out.collect(change);
            return;
        }
        for (String key : routingKeys.computeIfAbsent(change.table(), table -> routingKeys(table, maxParallelism))) {
            out.collect(change.routedBy(key));
        }
    }

    /** A key of {@code table} for each key group, in key-group order: the first found of {@code truncate#0}, {@code truncate#1}, … */
    static List<String> routingKeys(String table, int maxParallelism) {
        String[] byGroup = new String[maxParallelism];
        int found = 0;
        for (int i = 0; found < maxParallelism; i++) {
            String key = "truncate#" + i;
            int group = KeyGroupRangeAssignment.assignToKeyGroup(new RowKey(table, key), maxParallelism);
            if (byGroup[group] == null) {
                byGroup[group] = key;
                found++;
            }
        }
        return List.of(byGroup);
    }
}
