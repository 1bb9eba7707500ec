package io.datasync.job.sink;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link DocumentWrite}s to OpenSearch with several {@code _bulk} requests in flight per
 * subtask, every action with its external version (so concurrent bulks may land in any order: an
 * older write gets a 409, counted as a conflict). At-least-once: a checkpoint waits for every
 * request in flight and stores what is still buffered. Build it with {@link #builder}.
 */
public final class OpenSearchAsyncSink extends AsyncSinkBase<DocumentWrite, BulkEntry> {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchAsyncSink.class);
    private final Settings settings;

    /** What the writer needs besides the batching limits, which {@link AsyncSinkBase} keeps. */
    record Settings(Endpoint endpoint, String bootstrapServers, String deadLetterTopic, int requestTimeoutMillis, RetryPolicy retry)
            implements Serializable {}

    OpenSearchAsyncSink(Settings settings, int maxBatchActions, int maxInFlightRequests, int maxBufferedActions, long maxBatchBytes,
            long maxTimeInBufferMillis) {
        // A document may be as large as a whole batch; the base's own request timeout is a last resort behind the client's.
        super(new ToBulkEntry(), maxBatchActions, maxInFlightRequests, maxBufferedActions, maxBatchBytes, maxTimeInBufferMillis,
                maxBatchBytes, 2L * settings.requestTimeoutMillis() + settings.retry().maxBackoffMillis() + 10_000, true);
        this.settings = settings;
    }

    /** A builder with the defaults (2,000 actions or 5 MiB per bulk, 200 ms in the buffer, 2 bulks in flight); it checks every setting. */
    public static OpenSearchAsyncSinkBuilder builder(OpenSearchSettings openSearch, String bootstrapServers, String deadLetterTopic) {
        return new OpenSearchAsyncSinkBuilder(openSearch, bootstrapServers, deadLetterTopic);
    }

    @Override
    public AsyncSinkWriter<DocumentWrite, BulkEntry> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public AsyncSinkWriter<DocumentWrite, BulkEntry> restoreWriter(WriterInitContext context,
            Collection<BufferedRequestState<BulkEntry>> state) {
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .setRateLimitingStrategy(new InFlightLimit(getMaxInFlightRequests(), getMaxBatchSize()))
                .build();
        long restored = state.stream().mapToLong(buffer -> buffer.getBufferedRequestEntries().size()).sum();
        if (restored > 0) {
            LOG.info("subtask {} restored {} bulk actions that were buffered at the checkpoint",
                    context.getTaskInfo().getIndexOfThisSubtask(), restored);
        }
        return new OpenSearchAsyncWriter(getElementConverter(), context, configuration, settings, state);
    }

    /** Flink 1.20 creates writers through {@link #createWriter(WriterInitContext)}; this older entry is abstract there, so it exists. */
    @Override
    @Deprecated
    public SinkWriter<DocumentWrite> createWriter(InitContext context) {
        throw new UnsupportedOperationException("OpenSearchAsyncSink needs a WriterInitContext (Flink 1.20 and later)");
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<BulkEntry>> getWriterStateSerializer() {
        return new BulkEntrySerializer();
    }

    /** Stamps each write with the time the sink accepted it: the start of its retry budget. */
    private static final class ToBulkEntry implements ElementConverter<DocumentWrite, BulkEntry> {
        @Override
        public BulkEntry apply(DocumentWrite write, SinkWriter.Context context) {
            return BulkEntry.of(write, System.currentTimeMillis());
        }
    }
}
