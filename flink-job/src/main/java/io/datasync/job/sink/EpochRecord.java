package io.datasync.job.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The highest write epoch that ever reached each concrete index, kept in OpenSearch beside the
 * indexes: index {@value #INDEX}, one document per concrete index whose external version is the
 * epoch, so OpenSearch itself keeps the maximum (a lower one is refused with a 409). The sink
 * records an epoch before the first bulk that carries it; a job started without state starts above
 * the record, whatever its clock says (a clock behind the writer's would otherwise make every write
 * an older version, refused, and the documents would silently stop changing).
 */
public final class EpochRecord {
    public static final String INDEX = "data-sync-epochs";
    /** One shard; a replica only where a second node can hold it (a single node stays green). */
    static final String SETTINGS = "{\"settings\":{\"number_of_shards\":1,\"auto_expand_replicas\":\"0-1\"},"
            + "\"mappings\":{\"dynamic\":false,\"properties\":{\"index\":{\"type\":\"keyword\"},\"epoch\":{\"type\":\"long\"}}}}";

    private EpochRecord() {}

    /** The epoch of an external version ({@code epoch << 32 | counter}, see enrich.Versions). */
    static long epochOf(long version) {
        return version >>> 32;
    }

    /** The highest epoch per concrete index among {@code batch}'s actions. */
    static Map<String, Long> epochsIn(List<BulkEntry> batch) {
        Map<String, Long> epochs = new HashMap<>();
        for (BulkEntry entry : batch) {
            epochs.merge(entry.index(), epochOf(entry.version()), Math::max);
        }
        return epochs;
    }

    /** The path that records {@code epoch} for {@code concreteIndex}: kept only if above what is recorded. */
    static String recordPath(String concreteIndex, long epoch) {
        return "/" + INDEX + "/_doc/" + concreteIndex + "?version=" + epoch + "&version_type=external_gte";
    }

    static String recordBody(String concreteIndex, long epoch) {
        return "{\"index\":\"" + concreteIndex + "\",\"epoch\":" + epoch + "}";
    }
}
