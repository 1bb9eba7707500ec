package io.datasync.job.enrich;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * A keyed process function whose event-time timers fire in slices with checkpoints between them
 * (Flink's interruptible timers: on when unaligned checkpoints and
 * {@code execution.checkpointing.unaligned.interruptible-timers.enabled} are). At the end of the
 * snapshot every parent's timer fires on one watermark; in one loop toward a back-pressured
 * assembler that held the lookups' barrier for up to 12 s (bench/README.md). Flink lets only the
 * operator say it can be interrupted, so this subclass says it and changes nothing else: the state
 * and timers are those of {@link KeyedProcessOperator}.
 */
public final class InterruptibleTimers<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
    public InterruptibleTimers(KeyedProcessFunction<K, IN, OUT> function) {
        super(function);
    }

    @Override
    public boolean useSplittableTimers() {
        return true;
    }
}
