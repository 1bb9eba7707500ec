package io.datasync.bench;

import io.datasync.cdc.CdcCli;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Benchmark 5 of issue 6: the {@link PlainConsumer} over the same topics into indexes
 * {@code baseline-<table>} of the same OpenSearch (one shard, no replica, 1 s refresh, like the
 * job's): timed from its start until it has consumed and indexed every event in the topics; its
 * document counts must then equal the tables' rows. It keeps consuming afterwards, so its
 * freshness can be watched next to the job's. It runs as its own process
 * ({@link PlainConsumerProcess}), metered by the {@link PhaseMeter} while it runs.
 */
final class Baseline implements AutoCloseable {
    static final String TARGET = "baseline";
    /** The metered phase of its load (its costs row). */
    static final String PHASE = "plain consumer: topics → indexes";

    record Result(long events, long documents, boolean documentsMatchRows, double seconds) {
        double docsPerSecond() {
            return documents / seconds;
        }
    }

    private final Pipeline pipeline;
    private final String bootstrap;
    private final String openSearchUrl;
    private final PhaseMeter meter;
    private final Path gcLog;
    private final String groupId = "bench-baseline-" + System.currentTimeMillis();
    private PlainConsumerProcess consumer;

    /** {@code gcLog}: where the consumer's JVM writes its GC log. */
    Baseline(Pipeline pipeline, String bootstrap, String openSearchUrl, PhaseMeter meter, Path gcLog) {
        this.pipeline = pipeline;
        this.bootstrap = bootstrap;
        this.openSearchUrl = openSearchUrl;
        this.meter = meter;
        this.gcLog = gcLog;
    }

    /** The baseline's index for each table of the spec. */
    Map<String, String> indexByTable() {
        Map<String, String> indexes = new LinkedHashMap<>();
        pipeline.spec().indexes().forEach(index -> indexes.put(index.table(), "baseline-" + index.table()));
        return indexes;
    }

    /** Empty baseline indexes, the consumer started (its JVM up, not consuming yet), then timed from its first poll. */
    Result snapshot(Duration timeout) throws Exception {
        Map<String, Long> rows = pipeline.rowsPerIndex();
        for (IndexSpec index : pipeline.spec().indexes()) {
            String name = indexByTable().get(index.table());
            pipeline.openSearch().send("DELETE", "/" + name, null);
            pipeline.openSearch().send("PUT", "/" + name,
                    "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0,\"refresh_interval\":\"1s\"}}");
        }
        long events = pipeline.topicEvents();
        launch();
        PhaseMeter.Running phase = meter.start(PHASE);
        long start = System.nanoTime();
        consumer.go();
        awaitRecords(events, start, timeout);
        double seconds = (System.nanoTime() - start) / 1e9;
        phase.stop(Map.of(TARGET, pipeline.documentWrites(indexByTable().values())), events);
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

    /** Stops the consumer (its offsets committed) until {@link #resume}. */
    void stop() throws Exception {
        if (consumer != null) {
            meter.unwatch(TARGET);
            consumer.close();
            consumer = null;
        }
    }

    /** Starts the consumer again in its group and waits until it has caught up with what arrived while it was stopped. */
    void resume(Duration timeout) throws Exception {
        long backlog;
        try (Admin admin = CdcCli.admin()) {
            backlog = pipeline.backlog(admin, groupId);
        }
        launch();
        long start = System.nanoTime();
        consumer.go();
        awaitRecords(backlog, start, timeout);
    }

    private void launch() throws Exception {
        List<PlainConsumer.Route> routes = new ArrayList<>();
        for (IndexSpec index : pipeline.spec().indexes()) {
            routes.add(new PlainConsumer.Route(pipeline.spec().topic(index.table()), indexByTable().get(index.table()), index.key()));
        }
        consumer = PlainConsumerProcess.start(bootstrap, groupId, routes, openSearchUrl, gcLog);
        meter.watch(TARGET, consumer.pid(), gcLog);
    }

    private void awaitRecords(long records, long startNanos, Duration timeout) throws Exception {
        while (consumer.records() < records) {
            if (System.nanoTime() - startNanos > timeout.toNanos()) {
                throw new IllegalStateException(String.format("the plain consumer indexed %,d of %,d events within %s",
                        consumer.records(), records, timeout));
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
