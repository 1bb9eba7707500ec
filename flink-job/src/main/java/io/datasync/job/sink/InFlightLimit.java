package io.datasync.job.sink;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * At most {@code maxInFlight} bulk requests at a time, each of full size. Flink's default strategy
 * (AIMD) starts at one request's worth of actions and halves on every partial failure; here
 * throttling is handled by the retry backoff, which keeps a failed request's slot until it resends.
 */
final class InFlightLimit implements RateLimitingStrategy {
    private final int maxInFlight;
    private final int maxBatchSize;
    private int inFlight;

    InFlightLimit(int maxInFlight, int maxBatchSize) {
        this.maxInFlight = maxInFlight;
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {
        inFlight++;
    }

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {
        inFlight = Math.max(0, inFlight - 1);
    }

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
        return full();
    }

    /** Every slot taken: sending another bulk would wait for a response. */
    boolean full() {
        return inFlight >= maxInFlight;
    }

    @Override
    public int getMaxBatchSize() {
        return maxBatchSize;
    }
}
