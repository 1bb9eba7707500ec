package io.datasync.bench;

import io.datasync.job.spec.SyncSpec.IndexSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5 of issue 6: the {@link PlainConsumer} over the same topics into indexes
 * {@code baseline-<table>} of the same OpenSearch (one shard, no replica, 1 s refresh, like the
 * job's): timed from its start until it has consumed and indexed every event in the topics; its
 * document counts must then equal the tables' rows. It keeps consuming afterwards, so its
 * freshness can be watched next to the job's.
 */
final class Baseline implements AutoCloseable {
    static final String TARGET = "baseline";

    record Result(long events, long documents, boolean documentsMatchRows, double seconds) {
        double docsPerSecond() {
            return documents / seconds;
        }
    }

    private final Pipeline pipeline;
    private final String bootstrap;
    private final String openSearchUrl;
    private PlainConsumer consumer;

    Baseline(Pipeline pipeline, String bootstrap, String openSearchUrl) {
        this.pipeline = pipeline;
        this.bootstrap = bootstrap;
        this.openSearchUrl = openSearchUrl;
    }

    /** The baseline's index for each table of the spec. */
    Map<String, String> indexByTable() {
        Map<String, String> indexes = new LinkedHashMap<>();
        pipeline.spec().indexes().forEach(index -> indexes.put(index.table(), "baseline-" + index.table()));
        return indexes;
    }

    Result snapshot(Duration timeout) throws Exception {
        Map<String, Long> rows = pipeline.rowsPerIndex();
        List<PlainConsumer.Route> routes = new ArrayList<>();
        for (IndexSpec index : pipeline.spec().indexes()) {
            String name = indexByTable().get(index.table());
            pipeline.openSearch().send("DELETE", "/" + name, null);
            pipeline.openSearch().send("PUT", "/" + name,
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"1s\"}}");
            routes.add(new PlainConsumer.Route(pipeline.spec().topic(index.table()), name, index.key()));
        }
        long events = pipeline.topicEvents();
        consumer = new PlainConsumer(bootstrap, "bench-baseline-" + System.currentTimeMillis(), routes, openSearchUrl);
        long start = System.nanoTime();
        consumer.start();
        while (consumer.records() < events) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new IllegalStateException(String.format("the plain consumer indexed %,d of %,d events within %s", consumer.records(), events, timeout));
            }
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long documents = 0;
        boolean match = true;
        for (IndexSpec index : pipeline.spec().indexes()) {
            String name = indexByTable().get(index.table());
            pipeline.openSearch().send("POST", "/" + name + "/_refresh", null);
            long count = pipeline.openSearch().count(name);
            documents += count;
            match &= count == rows.get(index.name());
        }
        return new Result(events, documents, match, seconds);
    }

    @Override
    public void close() throws Exception {
        if (consumer != null) {
            consumer.close();
            consumer.records();
        }
    }
}
