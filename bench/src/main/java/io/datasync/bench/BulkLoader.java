package io.datasync.bench;

import io.datasync.bench.FinalDocuments.Document;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** A plain, tuned bulk client: documents in bulks of {@code bulkSize}, {@code concurrency} requests in flight. */
final class BulkLoader {
    private final OpenSearchRest openSearch;

    BulkLoader(OpenSearchRest openSearch) {
        this.openSearch = openSearch;
    }

    /** Loads the documents into {@code index}; returns the elapsed nanoseconds. Fails on any rejected item. */
    long load(String index, List<Document> documents, int bulkSize, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            long start = System.nanoTime();
            List<Future<?>> bulks = new ArrayList<>();
            for (int from = 0; from < documents.size(); from += bulkSize) {
                byte[] body = ndjson(index, documents.subList(from, Math.min(documents.size(), from + bulkSize)));
                bulks.add(pool.submit(() -> {
                    send(body);
                    return null;
                }));
            }
            for (Future<?> bulk : bulks) {
                bulk.get();
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The body of one bulk request: an index action and the source per document. */
    static byte[] ndjson(String index, List<Document> documents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(documents.size() * 512);
        for (Document document : documents) {
            String action = "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + document.id().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}\n";
            body.writeBytes(action.getBytes(StandardCharsets.UTF_8));
            body.writeBytes(document.source());
            body.write('\n');
        }
        return body.toByteArray();
    }

    private void send(byte[] body) throws Exception {
        OpenSearchRest.Answer response = openSearch.bulk(body);
        if (response.statusCode() != 200 || response.body().startsWith("{\"took\"") && !response.body().contains("\"errors\":false")) {
            throw new IllegalStateException("bulk request failed: HTTP " + response.statusCode() + " "
                    + response.body().substring(0, Math.min(500, response.body().length())));
        }
    }
}
