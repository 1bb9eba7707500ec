package io.datasync.job.sink;

import java.io.Serializable;

/**
 * How long an action that failed transiently (throttled, timed out, server error, no connection)
 * is sent again: exponential backoff from {@code initialBackoffMillis} up to
 * {@code maxBackoffMillis}, at most {@code maxAttempts} attempts and {@code maxRetryMillis} after
 * the sink accepted it; then the job fails and restarts from its checkpoint.
 */
record RetryPolicy(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis, long maxRetryMillis) implements Serializable {

    /** The pause before the next attempt of an action that has failed {@code failures} times. */
    long backoffMillis(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        return Math.min(maxBackoffMillis, initialBackoffMillis << doublings);
    }

    /** Whether an action that failed once more may not be tried again after {@code backoffMillis(failures)}. */
    boolean exhausted(BulkEntry entry, long nowMillis) {
        return entry.failures() >= maxAttempts || nowMillis + backoffMillis(entry.failures()) - entry.acceptedMillis() > maxRetryMillis;
    }
}
