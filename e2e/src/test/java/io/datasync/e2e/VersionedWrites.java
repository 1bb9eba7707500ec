package io.datasync.e2e;

import io.datasync.job.sink.DocumentWrite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes for the sink tests and what OpenSearch must hold after them: per id one to four versions
 * in shuffled order (so a newer write often comes before an older one), some ending in a delete,
 * some deleted and written again, ids that need JSON escaping, and one document the index's strict
 * mapping rejects. The expected document of an id is the one of its highest version.
 */
record VersionedWrites(List<DocumentWrite> writes, Map<String, Expected> expected, DocumentWrite rejected) {
    static final String MAPPING = """
            {"settings": {"number_of_shards": 1, "number_of_replicas": 0},
             "mappings": {"dynamic": "strict", "properties": {
               "id": {"type": "keyword"}, "title": {"type": "text"}, "n": {"type": "integer"}, "v": {"type": "long"}}}}""";
    private static final long EPOCH = 7L << 32;

    /** What an id must look like in the end: absent ({@code source} null) or this document at this version. */
    record Expected(long version, String source) {}

    static VersionedWrites generate(String alias, String index, int ids, long seed) {
        Random random = new Random(seed);
        List<DocumentWrite> writes = new ArrayList<>();
        Map<String, Expected> expected = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ids; i++) {
            names.add(String.format("doc-%05d", i));
        }
        names.addAll(List.of("quote\"id", "back\\slash", "caf\u00e9 \u2603", "slash/and space", "tab\tid", "{\"json\":\"id\"}"));
        for (int i = 0; i < names.size(); i++) {
            String id = names.get(i);
            int versions = 1 + random.nextInt(4);
            Expected last = null;
            for (int v = 1; v <= versions; v++) {
                long version = EPOCH + v;
                boolean delete = (v == versions && i % 5 == 0) || (v == versions - 1 && i % 7 == 0);
                String source = delete ? null : "{\"id\":" + quote(id) + ",\"title\":\"title " + i + " version " + v + " \u00e9\","
                        + "\"n\":" + i + ",\"v\":" + version + "}";
                writes.add(write(alias, index, id, source, version));
                last = new Expected(version, source);
            }
            expected.put(id, last);
        }
        Collections.shuffle(writes, random);
        String badId = "violates-mapping";
        DocumentWrite rejected = write(alias, index, badId, "{\"id\":\"" + badId + "\",\"n\":1,\"surprise\":true}", EPOCH + 1);
        writes.add(writes.size() / 2, rejected);
        expected.put(badId, new Expected(EPOCH + 1, null));
        return new VersionedWrites(List.copyOf(writes), expected, rejected);
    }

    /** How many of the expected documents exist. */
    long present() {
        return expected.values().stream().filter(e -> e.source() != null).count();
    }

    private static DocumentWrite write(String alias, String index, String id, String source, long version) {
        byte[] bytes = source == null ? null : source.getBytes(StandardCharsets.UTF_8);
        long commitMillis = System.currentTimeMillis() - 1_000;
        return new DocumentWrite(alias, index, id, bytes, version, commitMillis, alias + ":" + id + "@" + version);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + "\"";
    }
}
