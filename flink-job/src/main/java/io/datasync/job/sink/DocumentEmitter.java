package io.datasync.job.sink;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.VersionType;

/** Index or delete by id, always with the document's external version, traced to the change that caused it. */
public final class DocumentEmitter implements OpensearchEmitter<DocumentWrite> {
    @Override
    public void emit(DocumentWrite write, SinkWriter.Context context, RequestIndexer indexer) {
        TracedRequests.Trace trace = new TracedRequests.Trace(write.correlationId(), write.commitMillis());
        if (write.isDelete()) {
            indexer.add(new TracedRequests.Delete(write.index(), write.id(), trace)
                    .versionType(VersionType.EXTERNAL).version(write.version()));
        } else {
            indexer.add(new TracedRequests.Index(write.index(), trace)
                    .id(write.id()).source(write.source(), XContentType.JSON).versionType(VersionType.EXTERNAL).version(write.version()));
        }
    }
}
