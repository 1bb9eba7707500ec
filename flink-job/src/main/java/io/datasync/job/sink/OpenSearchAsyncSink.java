package io.datasync.job.sink;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.util.UserCodeClassLoader;
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
    /** The least time a bulk request may take before the base class gives up on it (on top of the client's own timeout and retries). */
    static final long MIN_REQUEST_TIMEOUT_MILLIS = 10_000;
    private final Settings settings;

    /** What the writer needs besides the batching limits, which {@link AsyncSinkBase} keeps. */
    record Settings(Endpoint endpoint, String bootstrapServers, String deadLetterTopic, int requestTimeoutMillis, RetryPolicy retry)
            implements Serializable {}

    OpenSearchAsyncSink(Settings settings, int maxBatchActions, int maxInFlightRequests, int maxBufferedActions, long maxBatchBytes,
            long maxTimeInBufferMillis) {
        // A document may be as large as a whole batch; the base's own request timeout is a last resort behind the client's.
        super(new ToBulkEntry(), maxBatchActions, maxInFlightRequests, maxBufferedActions, maxBatchBytes, maxTimeInBufferMillis,
                maxBatchBytes, 2L * settings.requestTimeoutMillis() + settings.retry().maxBackoffMillis() + MIN_REQUEST_TIMEOUT_MILLIS, true);
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
        InFlightLimit inFlight = new InFlightLimit(getMaxInFlightRequests(), getMaxBatchSize());
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .setRateLimitingStrategy(inFlight)
                .build();
        long restored = state.stream().mapToLong(buffer -> buffer.getBufferedRequestEntries().size()).sum();
        if (restored > 0) {
            LOG.info("subtask {} restored {} bulk actions that were buffered at the checkpoint",
                    context.getTaskInfo().getIndexOfThisSubtask(), restored);
        }
        WriterInitContext heldBack = new HeldBackFlushContext(context,
                new HeldBackFlushTimer(context.getProcessingTimeService(), inFlight, getMaxTimeInBufferMS()));
        return new OpenSearchAsyncWriter(getElementConverter(), heldBack, configuration, settings, state);
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

    /** The writer's context with {@link HeldBackFlushTimer} for its processing-time service; all else as given. */
    private record HeldBackFlushContext(WriterInitContext context, ProcessingTimeService timers) implements WriterInitContext {
        @Override
        public ProcessingTimeService getProcessingTimeService() {
            return timers;
        }

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return context.getUserCodeClassLoader();
        }

        @Override
        public MailboxExecutor getMailboxExecutor() {
            return context.getMailboxExecutor();
        }

        @Override
        public SinkWriterMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
            return context.asSerializationSchemaInitializationContext();
        }

        @Override
        public boolean isObjectReuseEnabled() {
            return context.isObjectReuseEnabled();
        }

        @Override
        public <IN> TypeSerializer<IN> createInputSerializer() {
            return context.createInputSerializer();
        }

        @Override
        public <MetaT> Optional<Consumer<MetaT>> metadataConsumer() {
            return context.metadataConsumer();
        }

        @Override
        public OptionalLong getRestoredCheckpointId() {
            return context.getRestoredCheckpointId();
        }

        @Override
        public JobInfo getJobInfo() {
            return context.getJobInfo();
        }

        @Override
        public TaskInfo getTaskInfo() {
            return context.getTaskInfo();
        }
    }

    /** Stamps each write with the time the sink accepted it: the start of its retry budget. */
    private static final class ToBulkEntry implements ElementConverter<DocumentWrite, BulkEntry> {
        @Override
        public BulkEntry apply(DocumentWrite write, SinkWriter.Context context) {
            return BulkEntry.of(write, System.currentTimeMillis());
        }
    }
}
