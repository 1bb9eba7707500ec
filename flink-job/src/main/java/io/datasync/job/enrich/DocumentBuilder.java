package io.datasync.job.enrich;

import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pure: the document of one root row, from its row, its looked-up parts and aggregate results. */
public final class DocumentBuilder {
    private DocumentBuilder() {}

    /**
     * @param parts fields per "lookup|parentKey" (an empty map: the parent is not known yet)
     * @param aggregates results per aggregate position
     */
    public static Map<String, Object> build(IndexSpec index, Map<String, Object> root, Map<String, Map<String, Object>> parts,
            Map<String, Map<String, Object>> aggregates) {
        Map<String, Object> document = new LinkedHashMap<>();
        if (index.columns().isEmpty()) {
            document.putAll(root);
        } else {
            index.columns().forEach(column -> document.put(column, root.get(column)));
        }
        for (Lookup lookup : index.lookups()) {
            Object foreignKey = root.get(lookup.foreignKey());
            Map<String, Object> fields = foreignKey == null ? null : parts.get(partKey(lookup.name(), foreignKey.toString()));
            document.put(lookup.name(), fields == null || fields.isEmpty() ? null : fields);
        }
        for (int i = 0; i < index.aggregates().size(); i++) {
            Map<String, Object> results = aggregates.get(Integer.toString(i));
            document.putAll(results == null ? Aggregation.empty(index.aggregates().get(i)) : results);
        }
        return document;
    }

    public static String partKey(String lookup, String parentKey) {
        return lookup + "|" + parentKey;
    }
}
