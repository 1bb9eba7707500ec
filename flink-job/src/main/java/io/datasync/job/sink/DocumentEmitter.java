package io.datasync.job.sink;

import io.datasync.job.enrich.DocumentWrite;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.index.VersionType;

/** Index or delete by id, always with the document's external version. */
public final class DocumentEmitter implements OpensearchEmitter<DocumentWrite> {
    @Override
    public void emit(DocumentWrite write, SinkWriter.Context context, RequestIndexer indexer) {
        if (write.isDelete()) {
            indexer.add(new DeleteRequest(write.index(), write.id()).versionType(VersionType.EXTERNAL).version(write.version()));
        } else {
            indexer.add(new IndexRequest(write.index()).id(write.id()).source(write.document())
                    .versionType(VersionType.EXTERNAL).version(write.version()));
        }
    }
}
