package io.datasync.job.sink;

import io.datasync.job.deadletter.DeadLetterProducer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.ResponseListener;
import org.opensearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the buffered actions as {@code _bulk} requests, several in flight. Responses are read on a
 * thread of the writer's own (never on the HTTP client's I/O threads, never on the task thread):
 * written and conflicting actions are done, rejected ones are dead-lettered (and flushed to Kafka
 * before the request counts as done, so a checkpoint never passes an unsent dead letter), and
 * transient failures go back to the head of the buffer after a backoff during which the request
 * still counts as in flight: a checkpoint waits for it, so no action is lost.
 */
final class OpenSearchAsyncWriter extends AsyncSinkWriter<DocumentWrite, BulkEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchAsyncWriter.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    // Only what the verdict needs: keeps a 2,000-item response small.
    private static final String FILTER_PATH = "items.*.status,items.*.error";

    private final OpenSearchAsyncSink.Settings settings;
    private final long maxBatchBytes;
    private final RestClient client;
    private final ScheduledThreadPoolExecutor responses;
    private final DeadLetters deadLetters;
    private final Counter written;
    private final Counter conflicts;
    private final Counter superseded;
    private volatile long commitToWrittenMillis;
    /** Per concrete index, the epoch this writer has seen recorded in {@link EpochRecord} (task thread only). */
    private final Map<String, Long> recordedEpochs = new HashMap<>();
    /** Version conflicts since the last warning about them, and when that was (response thread only). */
    private long conflictsUnreported;
    private long conflictsReportedAtMillis;

    OpenSearchAsyncWriter(ElementConverter<DocumentWrite, BulkEntry> converter, WriterInitContext context,
            AsyncSinkWriterConfiguration configuration, OpenSearchAsyncSink.Settings settings,
            Collection<BufferedRequestState<BulkEntry>> state) {
        super(converter, context, configuration, state);
        this.settings = settings;
        this.maxBatchBytes = configuration.getMaxBatchSizeInBytes();
        MetricGroup metrics = context.metricGroup();
        this.written = metrics.counter("documentsWritten");
        this.conflicts = metrics.counter("versionConflicts");
        // Actions not sent because the same bulk held a newer version of their document (see Coalesced).
        this.superseded = metrics.counter("documentsSuperseded");
        // The oldest source commit among the documents of the last bulk response: how far behind the database the index is.
        metrics.gauge("commitToWrittenMillis", (Gauge<Long>) () -> commitToWrittenMillis);
        this.deadLetters = new DeadLetters(new DeadLetterProducer(settings.bootstrapServers(), settings.deadLetterTopic()),
                metrics.counter("documentsDeadLettered"));
        this.responses = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "opensearch-sink-responses-" + context.getTaskInfo().getIndexOfThisSubtask());
            thread.setDaemon(true);
            return thread;
        });
        this.responses.setRemoveOnCancelPolicy(true);
        this.client = settings.endpoint().open(settings.requestTimeoutMillis());
    }

    /** A document larger than a whole bulk request could never be sent: it is dead-lettered instead of failing the job on every restart. */
    @Override
    public void write(DocumentWrite write, Context context) throws IOException, InterruptedException {
        // Exact size only for big documents; a small one with a gigantic id still fails fast in the base class.
        if (write.source() != null && write.source().length > maxBatchBytes / 2) {
            BulkEntry entry = BulkEntry.of(write, System.currentTimeMillis());
            long size = BulkBody.sizeOf(entry);
            if (size > maxBatchBytes) {
                deadLetters.send(entry, "the document's bulk action is " + size + " bytes, more than the sink's maxBatchBytes ("
                        + maxBatchBytes + ")");
                deadLetters.flush();
                return;
            }
        }
        super.write(write, context);
    }

    @Override
    protected void submitRequestEntries(List<BulkEntry> buffered, ResultHandler<BulkEntry> handler) {
        // Completing the handler completes every buffered entry; only the newest of each document is sent and retried.
        Coalesced coalesced = Coalesced.of(buffered);
        superseded.inc(coalesced.superseded());
        List<BulkEntry> batch = coalesced.entries();
        try {
            recordEpochs(batch);
        } catch (IOException e) {
            onResponseThread(() -> handleFailure(batch, e, handler), handler); // retried like a failed bulk: OpenSearch is unreachable
            return;
        }
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", FILTER_PATH);
        request.setEntity(new ByteArrayEntity(BulkBody.encode(batch), NDJSON));
        client.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                onResponseThread(() -> handleResponse(batch, response, handler), handler);
            }

            @Override
            public void onFailure(Exception failure) {
                onResponseThread(() -> handleFailure(batch, failure, handler), handler);
            }
        });
    }

    /** Before the first write of a new epoch reaches an index, the epoch is recorded (see {@link EpochRecord}). */
    private void recordEpochs(List<BulkEntry> batch) throws IOException {
        for (Map.Entry<String, Long> epoch : EpochRecord.epochsIn(batch).entrySet()) {
            if (epoch.getValue() > recordedEpochs.getOrDefault(epoch.getKey(), -1L)) {
                Request record = new Request("PUT", EpochRecord.recordPath(epoch.getKey(), epoch.getValue()));
                record.setJsonEntity(EpochRecord.recordBody(epoch.getKey(), epoch.getValue()));
                try {
                    client.performRequest(record);
                } catch (ResponseException e) {
                    if (e.getResponse().getStatusLine().getStatusCode() != 409) { // 409: a higher epoch is recorded already
                        throw e;
                    }
                }
                recordedEpochs.put(epoch.getKey(), epoch.getValue());
            }
        }
    }

    @Override
    protected long getSizeInBytes(BulkEntry entry) {
        return BulkBody.sizeOf(entry);
    }

    private void onResponseThread(Runnable work, ResultHandler<BulkEntry> handler) {
        try {
            responses.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    handler.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("bulk response after the writer closed, dropped", e); // the task is going away; its checkpoint holds the actions
        }
    }

    private void handleResponse(List<BulkEntry> batch, Response response, ResultHandler<BulkEntry> handler) {
        List<BulkResponse.Item> items;
        try (InputStream body = response.getEntity().getContent()) {
            items = BulkResponse.parse(body, batch.size());
        } catch (IOException e) {
            handler.completeExceptionally(new FlinkRuntimeException("cannot read the response to a bulk request of " + batch.size()
                    + " actions (first " + describe(batch.get(0)) + ")", e));
            return;
        }
        long now = System.currentTimeMillis();
        BulkVerdict verdict = BulkVerdict.of(batch, items, now);
        written.inc(verdict.written());
        conflicts.inc(verdict.conflicts());
        reportConflicts(verdict.conflicts(), now);
        commitToWrittenMillis = now - verdict.oldestWrittenCommit();
        for (BulkVerdict.Rejected rejected : verdict.rejected()) {
            deadLetters.send(rejected.entry(), rejected.reason());
        }
        if (!verdict.rejected().isEmpty()) {
            deadLetters.flush();
        }
        retryOrComplete(verdict.failed(), batch.size(), handler);
    }

    /**
     * A version conflict means the index holds a newer version of the document: rare when two bulks in
     * flight reorder, constant when another writer (a second job on these indexes) writes above this one.
     * Said at most once a minute, with the count, so that a burst is seen without flooding the log.
     */
    private void reportConflicts(int newConflicts, long now) {
        conflictsUnreported += newConflicts;
        if (conflictsUnreported > 0 && now - conflictsReportedAtMillis >= 60_000) {
            LOG.warn("{} write(s) since the last report were refused by OpenSearch as older than the version the index holds (HTTP 409,"
                    + " metric versionConflicts). A few follow reordered bulks; a steady stream means another writer with higher versions"
                    + " writes these indexes, and the refused documents do not change", conflictsUnreported);
            conflictsUnreported = 0;
            conflictsReportedAtMillis = now;
        }
    }

    /** The whole request failed: throttled, overloaded or unreachable are worth a retry; any other HTTP error is not. */
    private void handleFailure(List<BulkEntry> batch, Exception failure, ResultHandler<BulkEntry> handler) {
        if (failure instanceof ResponseException http) {
            int status = http.getResponse().getStatusLine().getStatusCode();
            if (ItemOutcome.of(true, status) != ItemOutcome.TRANSIENT) {
                handler.completeExceptionally(new FlinkRuntimeException("OpenSearch " + settings.endpoint() + " refused a bulk request of "
                        + batch.size() + " actions (first " + describe(batch.get(0)) + ") with HTTP " + status, failure));
                return;
            }
        } else if (!(failure instanceof IOException)) {
            handler.completeExceptionally(new FlinkRuntimeException("a bulk request of " + batch.size() + " actions (first "
                    + describe(batch.get(0)) + ") failed", failure));
            return;
        }
        retryOrComplete(BulkVerdict.allFailed(batch, causeOf(failure), System.currentTimeMillis()).failed(), batch.size(), handler);
    }

    /** "HTTP 503: {body}" for an HTTP error (the client's message starts with the request line), else the exception. */
    private static String causeOf(Exception failure) {
        if (failure instanceof ResponseException http) {
            String message = String.valueOf(http.getMessage());
            int body = message.indexOf('\n');
            String text = body < 0 ? "" : ": " + message.substring(body + 1).strip();
            int status = http.getResponse().getStatusLine().getStatusCode();
            return "HTTP " + status + (text.length() > 500 ? text.substring(0, 500) + "…" : text);
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /** Done, or the failed actions back into the buffer after a backoff; the job fails once an action's retries are used up. */
    private void retryOrComplete(List<BulkVerdict.Failed> failed, int batchSize, ResultHandler<BulkEntry> handler) {
        if (failed.isEmpty()) {
            handler.complete();
            return;
        }
        long now = System.currentTimeMillis();
        RetryPolicy retry = settings.retry();
        List<BulkEntry> again = new ArrayList<>(failed.size());
        int failures = 0;
        for (BulkVerdict.Failed each : failed) {
            BulkEntry entry = each.entry().failedOnce();
            if (retry.exhausted(entry, now)) {
                handler.completeExceptionally(new FlinkRuntimeException("giving up on " + describe(entry) + " after " + entry.failures()
                        + " attempts in " + (now - entry.acceptedMillis()) + " ms (maxAttempts " + retry.maxAttempts() + ", maxRetryTime "
                        + retry.maxRetryMillis() + " ms); last failure: " + each.cause() + ". The job restarts from its last checkpoint."));
                return;
            }
            again.add(entry);
            failures = Math.max(failures, entry.failures());
        }
        long backoff = retry.backoffMillis(failures);
        BulkVerdict.Failed first = failed.get(0);
        LOG.warn("{} of {} bulk actions failed transiently (first {}: {}); sending them again in {} ms (attempt {})",
                failed.size(), batchSize, describe(first.entry()), first.cause(), backoff, failures + 1);
        responses.schedule(() -> handler.retryForEntries(again), backoff, TimeUnit.MILLISECONDS);
    }

    private static String describe(BulkEntry entry) {
        return entry.index() + "/" + entry.id() + " (correlationId=" + entry.trace() + ")";
    }

    @Override
    public void close() {
        responses.shutdownNow();
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("closing the OpenSearch client failed", e);
        } finally {
            deadLetters.close();
        }
    }
}
