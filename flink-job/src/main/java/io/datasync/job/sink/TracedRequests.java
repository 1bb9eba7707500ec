package io.datasync.job.sink;

import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;

/**
 * Bulk items that remember the change they carry. The sink hands the same request objects to the
 * bulk response inspector, so a failed item is logged and dead-lettered with the correlation ID of
 * its row, and a written one tells how long after the source commit it landed.
 */
final class TracedRequests {
    private TracedRequests() {}

    /** The change behind a request. */
    record Trace(String correlationId, long commitMillis) {}

    /** A request that carries its {@link Trace}. */
    interface Traced {
        Trace trace();
    }

    static final class Index extends IndexRequest implements Traced {
        private final Trace trace;

        Index(String index, Trace trace) {
            super(index);
            this.trace = trace;
        }

        @Override
        public Trace trace() {
            return trace;
        }
    }

    static final class Delete extends DeleteRequest implements Traced {
        private final Trace trace;

        Delete(String index, String id, Trace trace) {
            super(index, id);
            this.trace = trace;
        }

        @Override
        public Trace trace() {
            return trace;
        }
    }

    /** The correlation ID of a request, or where it went and its version when it carries none. */
    static String correlationIdOf(DocWriteRequest<?> request) {
        return request instanceof Traced traced && traced.trace().correlationId() != null
                ? traced.trace().correlationId()
                : request.index() + ":" + request.id() + "@v" + request.version();
    }
}
