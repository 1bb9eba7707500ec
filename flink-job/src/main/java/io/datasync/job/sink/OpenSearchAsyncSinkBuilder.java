package io.datasync.job.sink;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link OpenSearchAsyncSink}, checked by {@link #build()}: a wrong one fails there,
 * before the job starts, with a message naming it.
 */
public final class OpenSearchAsyncSinkBuilder {
    // OpenSearch's index.gc_deletes: how long a delete's version is remembered. A retry older than that could resurrect a document.
    private static final Duration DELETE_TOMBSTONE_LIFETIME = Duration.ofSeconds(60);
    // OpenSearch's default http.max_content_length.
    private static final long MAX_REQUEST_BYTES = 100L * 1024 * 1024;

    private final OpenSearchSettings openSearch;
    private final String bootstrapServers;
    private final String deadLetterTopic;
    private int maxBatchActions = 2_000;
    private long maxBatchBytes = 5L * 1024 * 1024;
    private Duration maxTimeInBuffer = Duration.ofMillis(200);
    private int maxInFlightRequests = 2;
    private Integer maxBufferedActions;
    private int maxAttempts = 10;
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration maxRetryTime = Duration.ofSeconds(50);
    private Duration requestTimeout = Duration.ofSeconds(30);

    OpenSearchAsyncSinkBuilder(OpenSearchSettings openSearch, String bootstrapServers, String deadLetterTopic) {
        this.openSearch = openSearch;
        this.bootstrapServers = bootstrapServers;
        this.deadLetterTopic = deadLetterTopic;
    }

    /** Actions per bulk request (default 2,000). */
    public OpenSearchAsyncSinkBuilder maxBatchActions(int actions) {
        this.maxBatchActions = actions;
        return this;
    }

    /** Bytes per bulk request (default 5 MiB); also the largest document the sink sends (a larger one is dead-lettered). */
    public OpenSearchAsyncSinkBuilder maxBatchBytes(long bytes) {
        this.maxBatchBytes = bytes;
        return this;
    }

    /** Longest wait before a partial bulk request is sent (default 200 ms). */
    public OpenSearchAsyncSinkBuilder maxTimeInBuffer(Duration time) {
        this.maxTimeInBuffer = time;
        return this;
    }

    /** Bulk requests in flight per subtask (default 2). */
    public OpenSearchAsyncSinkBuilder maxInFlightRequests(int requests) {
        this.maxInFlightRequests = requests;
        return this;
    }

    /** Actions buffered per subtask before writing blocks (default maxBatchActions × (maxInFlightRequests + 1)). */
    public OpenSearchAsyncSinkBuilder maxBufferedActions(int actions) {
        this.maxBufferedActions = actions;
        return this;
    }

    /** Attempts of an action that keeps failing transiently before the job fails (default 10). */
    public OpenSearchAsyncSinkBuilder maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    /** First pause before sending failed actions again, doubled on each further failure (default 100 ms). */
    public OpenSearchAsyncSinkBuilder initialBackoff(Duration backoff) {
        this.initialBackoff = backoff;
        return this;
    }

    /** Longest pause between attempts (default 5 s). */
    public OpenSearchAsyncSinkBuilder maxBackoff(Duration backoff) {
        this.maxBackoff = backoff;
        return this;
    }

    /** How long after the sink accepted an action it may still be retried (default 50 s, below OpenSearch's 60 s index.gc_deletes). */
    public OpenSearchAsyncSinkBuilder maxRetryTime(Duration time) {
        this.maxRetryTime = time;
        return this;
    }

    /** How long one bulk request may go without an answer before it counts as a transient failure (default 30 s). */
    public OpenSearchAsyncSinkBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    public OpenSearchAsyncSink build() {
        Objects.requireNonNull(openSearch, "openSearch settings");
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers (for the dead-letter topic) must be set");
        require(deadLetterTopic != null && !deadLetterTopic.isBlank(), "deadLetterTopic must be set");
        require(maxBatchActions >= 1, "maxBatchActions must be at least 1, got " + maxBatchActions);
        require(maxBatchBytes >= 1024 && maxBatchBytes <= MAX_REQUEST_BYTES,
                "maxBatchBytes must be between 1 KiB and 100 MiB (OpenSearch's http.max_content_length), got " + maxBatchBytes);
        long maxTimeInBufferMillis = positiveMillis("maxTimeInBuffer", maxTimeInBuffer);
        // Below every request timeout, which is at least 10 s: HeldBackFlushTimer tells the two apart by their delay.
        require(maxTimeInBufferMillis < OpenSearchAsyncSink.MIN_REQUEST_TIMEOUT_MILLIS,
                "maxTimeInBuffer must be below " + OpenSearchAsyncSink.MIN_REQUEST_TIMEOUT_MILLIS / 1000 + " s, got " + maxTimeInBuffer);
        require(maxInFlightRequests >= 1, "maxInFlightRequests must be at least 1, got " + maxInFlightRequests);
        int buffered = maxBufferedActions != null ? maxBufferedActions : (int) Math.min(Integer.MAX_VALUE,
                (long) maxBatchActions * (maxInFlightRequests + 1));
        require(buffered > maxBatchActions,
                "maxBufferedActions must be greater than maxBatchActions (" + maxBatchActions + "), got " + buffered);
        require(maxAttempts >= 1, "maxAttempts must be at least 1, got " + maxAttempts);
        long initialBackoffMillis = positiveMillis("initialBackoff", initialBackoff);
        long maxBackoffMillis = positiveMillis("maxBackoff", maxBackoff);
        require(maxBackoffMillis >= initialBackoffMillis,
                "maxBackoff must be at least initialBackoff (" + initialBackoff + "), got " + maxBackoff);
        long maxRetryMillis = positiveMillis("maxRetryTime", maxRetryTime);
        require(maxRetryTime.compareTo(DELETE_TOMBSTONE_LIFETIME) < 0, "maxRetryTime must be below " + DELETE_TOMBSTONE_LIFETIME
                + " (OpenSearch's index.gc_deletes: a delete's version is forgotten after it, so an older retried write could bring"
                + " the document back), got " + maxRetryTime);
        long requestTimeoutMillis = positiveMillis("requestTimeout", requestTimeout);
        require(requestTimeoutMillis <= Integer.MAX_VALUE, "requestTimeout is too long: " + requestTimeout);
        OpenSearchAsyncSink.Settings settings = new OpenSearchAsyncSink.Settings(Endpoint.of(openSearch), bootstrapServers, deadLetterTopic,
                (int) requestTimeoutMillis, new RetryPolicy(maxAttempts, initialBackoffMillis, maxBackoffMillis, maxRetryMillis));
        return new OpenSearchAsyncSink(settings, maxBatchActions, maxInFlightRequests, buffered, maxBatchBytes, maxTimeInBufferMillis);
    }

    private static long positiveMillis(String setting, Duration value) {
        require(value != null && !value.isNegative() && value.toMillis() > 0, setting + " must be at least 1 ms, got " + value);
        return value.toMillis();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
