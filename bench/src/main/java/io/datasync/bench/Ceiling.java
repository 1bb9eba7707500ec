package io.datasync.bench;

import io.datasync.bench.FinalDocuments.Document;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpecParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1 of issue 6: the pipeline's final documents (all indexes) bulk-loaded straight into
 * empty indexes of the same OpenSearch, with the same mappings. A short sweep of bulk size and
 * concurrency on the first documents, then the whole set with the best setting: that rate is
 * the ceiling the job is measured against.
 */
final class Ceiling {
    /** One timed load: documents, seconds, and the setting it ran with. */
    record Run(int bulkSize, int concurrency, long documents, double seconds) {
        double docsPerSecond() {
            return documents / seconds;
        }
    }

    record Result(List<Run> sweep, Run full, Map<String, Long> documentsPerIndex) {}

    private final SyncSpec spec;
    private final String specLocation;
    private final OpenSearchRest openSearch;

    Ceiling(SyncSpec spec, String specLocation, OpenSearchRest openSearch) {
        this.spec = spec;
        this.specLocation = specLocation;
        this.openSearch = openSearch;
    }

    Result measure(Connection db, int sweepDocuments, List<Integer> bulkSizes, List<Integer> concurrencies) throws Exception {
        Map<IndexSpec, List<Document>> documents = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (IndexSpec index : spec.indexes()) {
            documents.put(index, FinalDocuments.of(db, spec, index));
            counts.put(index.name(), (long) documents.get(index).size());
        }
        List<Run> sweep = new ArrayList<>();
        for (int bulkSize : bulkSizes) {
            for (int concurrency : concurrencies) {
                sweep.add(load(documents, sweepDocuments, bulkSize, concurrency));
            }
        }
        Run best = sweep.stream().max(Comparator.comparingDouble(Run::docsPerSecond)).orElseThrow();
        Run full = load(documents, Integer.MAX_VALUE, best.bulkSize(), best.concurrency());
        for (IndexSpec index : spec.indexes()) {
            long found = openSearch.count(target(index));
            if (found != counts.get(index.name())) {
                throw new IllegalStateException(target(index) + " holds " + found + " documents, expected " + counts.get(index.name()));
            }
        }
        return new Result(sweep, full, counts);
    }

    /** Fresh indexes, then the first {@code limit} documents of every index, one index after the other. */
    private Run load(Map<IndexSpec, List<Document>> documents, int limit, int bulkSize, int concurrency) throws Exception {
        BulkLoader loader = new BulkLoader(openSearch);
        long nanos = 0;
        long loaded = 0;
        for (Map.Entry<IndexSpec, List<Document>> index : documents.entrySet()) {
            recreate(index.getKey());
            int perIndex = (int) Math.min(index.getValue().size(), Math.max(1, (long) limit * index.getValue().size() / total(documents)));
            List<Document> batch = limit == Integer.MAX_VALUE ? index.getValue() : index.getValue().subList(0, perIndex);
            nanos += loader.load(target(index.getKey()), batch, bulkSize, concurrency);
            loaded += batch.size();
            openSearch.send("POST", "/" + target(index.getKey()) + "/_refresh", null);
        }
        return new Run(bulkSize, concurrency, loaded, nanos / 1e9);
    }

    private static long total(Map<IndexSpec, List<Document>> documents) {
        return documents.values().stream().mapToLong(List::size).sum();
    }

    static String target(IndexSpec index) {
        return "ceiling-" + index.name();
    }

    private void recreate(IndexSpec index) throws Exception {
        openSearch.send("DELETE", "/" + target(index), null);
        String mapping;
        try (InputStream in = SyncSpecParser.openRelative(specLocation, index.mapping())) {
            mapping = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        OpenSearchRest.Answer created = openSearch.send("PUT", "/" + target(index), mapping);
        if (created.statusCode() != 200) {
            throw new IllegalStateException("cannot create " + target(index) + ": HTTP " + created.statusCode() + " " + created.body());
        }
    }
}
