package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.connector.base.sink.writer.strategy.BasicRequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.BasicResultInfo;
import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeldBackFlushTimerTest {
    private static final long MAX_TIME_IN_BUFFER = 200;

    private final TestProcessingTimeService time = new TestProcessingTimeService();
    private final InFlightLimit inFlight = new InFlightLimit(2, 2_000);
    private final HeldBackFlushTimer timers = new HeldBackFlushTimer(time, inFlight, MAX_TIME_IN_BUFFER);
    private final List<Long> fired = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        time.setCurrentTime(1_000);
    }

    @Test
    void theBufferIsFlushedOnTimeWhileABulkSlotIsFree() throws Exception {
        send(); // one of two slots taken
        timers.registerTimer(1_200, fired::add);

        time.setCurrentTime(1_200);

        assertThat(fired).containsExactly(1_200L);
    }

    @Test
    void whileEverySlotIsTakenTheFlushWaitsInsteadOfTheTaskAndRunsOnceASlotIsFree() throws Exception {
        send();
        send();
        timers.registerTimer(1_200, fired::add);

        time.setCurrentTime(1_200);
        time.setCurrentTime(1_400);
        assertThat(fired).as("flushing now would wait for a response on the task thread").isEmpty();

        complete();
        time.setCurrentTime(1_600);

        assertThat(fired).containsExactly(1_600L);
        assertThat(time.getNumActiveTimers()).isZero();
    }

    @Test
    void aRequestTimeoutFiresOnTimeWhenEverySlotIsTakenAndCanBeCancelled() throws Exception {
        send();
        send();
        timers.registerTimer(11_000, fired::add);
        ScheduledFuture<?> cancelled = timers.registerTimer(12_000, fired::add);
        cancelled.cancel(false);

        time.setCurrentTime(13_000);

        assertThat(fired).containsExactly(11_000L);
    }

    private void send() {
        inFlight.registerInFlightRequest(new BasicRequestInfo(2_000));
    }

    private void complete() {
        inFlight.registerCompletedRequest(new BasicResultInfo(0, 2_000));
    }
}
