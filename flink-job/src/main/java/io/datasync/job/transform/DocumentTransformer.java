package io.datasync.job.transform;

import java.io.Serializable;
import java.util.Map;

/**
 * The plug-in point for custom per-document logic. An implementation in a jar on the job's
 * classpath, listed in {@code META-INF/services/io.datasync.job.transform.DocumentTransformer},
 * is found with {@link java.util.ServiceLoader} and applied to every document written (deletes
 * pass by). It must be deterministic: a replay must produce the same document.
 */
public interface DocumentTransformer extends Serializable {
    /** A short name for logs. */
    String name();

    /** Whether this transformer touches documents of this index (the alias name from the spec). */
    boolean appliesTo(String index);

    /** The document to write; may be the same map, changed. */
    Map<String, Object> transform(String index, Map<String, Object> document);
}
