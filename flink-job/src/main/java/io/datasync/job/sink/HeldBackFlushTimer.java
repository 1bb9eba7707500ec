package io.datasync.job.sink;

import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * The sink writer's processing-time service, except that the buffer's timed flush waits while every
 * bulk slot is taken. Flink's {@code AsyncSinkWriter} (1.20) flushes on that timer by sending the
 * whole buffer, waiting in the task's mailbox for a free slot before each bulk; with 6,000 actions
 * buffered behind 2 bulks in flight, the task thread was found waiting there in 83% of its samples
 * under a backlog, and a waiting task takes in no checkpoint barrier: the assembler's, chained to
 * the sink, came 10–15 s late (bench/README.md). While the slots are taken, full bulks still go out as responses
 * free them (the base class does that); the timer is only for the rest of a quiet buffer, which
 * then fits a free slot (the base class sends full bulks whenever a slot is free; only a buffer
 * restored from a checkpoint can hold more), so it is checked again every {@code maxTimeInBuffer}
 * until a slot is free.
 *
 * <p>The request timeouts the base class registers through the same service are passed through
 * untouched; they are told apart by their delay, which the builder keeps above {@code maxTimeInBuffer}.
 */
final class HeldBackFlushTimer implements ProcessingTimeService {
    private final ProcessingTimeService timers;
    private final InFlightLimit inFlight;
    private final long maxTimeInBufferMillis;

    HeldBackFlushTimer(ProcessingTimeService timers, InFlightLimit inFlight, long maxTimeInBufferMillis) {
        this.timers = timers;
        this.inFlight = inFlight;
        this.maxTimeInBufferMillis = maxTimeInBufferMillis;
    }

    @Override
    public long getCurrentProcessingTime() {
        return timers.getCurrentProcessingTime();
    }

    @Override
    public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
        boolean bufferFlush = timestamp - timers.getCurrentProcessingTime() <= maxTimeInBufferMillis;
        return timers.registerTimer(timestamp, bufferFlush ? whenASlotIsFree(callback) : callback);
    }

    private ProcessingTimeCallback whenASlotIsFree(ProcessingTimeCallback flush) {
        return time -> {
            if (inFlight.full()) {
                timers.registerTimer(time + maxTimeInBufferMillis, whenASlotIsFree(flush));
            } else {
                flush.onProcessingTime(time);
            }
        };
    }
}
