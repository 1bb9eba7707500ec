package io.datasync.job.sink;

import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.deadletter.DeadLetterProducer;
import java.util.List;
import org.apache.flink.connector.opensearch.sink.BulkResponseInspector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.index.IndexRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every bulk response item by item ({@link ItemOutcome}): conflicts are success, a document
 * OpenSearch rejects goes to the dead-letter topic with the reason, transient failures fail the
 * request so that the job restarts from its checkpoint and writes again.
 */
public final class BulkResultInspector implements BulkResponseInspector {
    private static final Logger LOG = LoggerFactory.getLogger(BulkResultInspector.class);

    private final DeadLetterProducer deadLetters;
    private final Counter written;
    private final Counter conflicts;
    private final Counter deadLettered;
    private volatile long commitToWrittenMillis;

    public BulkResultInspector(DeadLetterProducer deadLetters, MetricGroup metrics) {
        this.deadLetters = deadLetters;
        this.written = metrics.counter("documentsWritten");
        this.conflicts = metrics.counter("versionConflicts");
        this.deadLettered = metrics.counter("documentsDeadLettered");
        // The oldest source commit among the documents of the last bulk response: how far behind the database the index is.
        metrics.gauge("commitToWrittenMillis", (Gauge<Long>) () -> commitToWrittenMillis);
    }

    @Override
    public void inspect(BulkRequest bulk, BulkResponse response) {
        List<DocWriteRequest<?>> requests = bulk.requests();
        Throwable transientFailure = null;
        BulkItemResponse[] items = response.getItems();
        long now = System.currentTimeMillis();
        long oldestCommit = now;
        for (int i = 0; i < items.length; i++) {
            BulkItemResponse item = items[i];
            DocWriteRequest<?> request = requests.get(i);
            int status = item.isFailed() ? item.getFailure().getStatus().getStatus() : item.status().getStatus();
            switch (ItemOutcome.of(item.isFailed(), status)) {
                case SUCCESS -> {
                    written.inc();
                    if (request instanceof TracedRequests.Traced traced && traced.trace().commitMillis() > 0) {
                        oldestCommit = Math.min(oldestCommit, traced.trace().commitMillis());
                    }
                }
                case VERSION_CONFLICT -> conflicts.inc();
                case PERMANENT -> {
                    deadLettered.inc();
                    String correlationId = TracedRequests.correlationIdOf(request);
                    String reason = "OpenSearch rejected the document (HTTP " + status + "): " + item.getFailureMessage();
                    LOG.warn("dead-lettering document {}/{}: {}; correlationId={}", request.index(), request.id(), reason, correlationId);
                    deadLetters.send(new DeadLetter("opensearch", reason, request.index(), -1, -1, request.id(),
                            request instanceof IndexRequest index ? index.source().utf8ToString() : null, correlationId, now));
                }
                case TRANSIENT -> {
                    RuntimeException failure = new FlinkRuntimeException("bulk item " + request.index() + "/" + request.id() + " failed with HTTP "
                            + status + ": " + item.getFailureMessage() + "; correlationId=" + TracedRequests.correlationIdOf(request));
                    transientFailure = transientFailure == null ? failure : transientFailure;
                }
            }
        }
        commitToWrittenMillis = now - oldestCommit;
        deadLetters.flush();
        if (transientFailure != null) {
            throw new FlinkRuntimeException("a bulk request had transient failures; the job restarts from its checkpoint", transientFailure);
        }
    }
}
