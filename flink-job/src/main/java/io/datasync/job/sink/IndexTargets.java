package io.datasync.job.sink;

import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The concrete index each of the spec's indexes (an alias) is written to by this run, resolved when
 * the job is submitted: {@code <alias>_v<version>} when the job creates it, the one the alias points
 * at when it serves a rebuilt index ({@code <alias>_v<version>_<label>}), or a new one of a rebuild
 * ({@code make reindex}) that no alias points at yet.
 */
public record IndexTargets(Map<String, String> concreteByAlias) implements Serializable {
    public IndexTargets {
        concreteByAlias = Map.copyOf(concreteByAlias);
    }

    /** Each index at the name its spec version gives it: what a run without OpenSearch (a test) writes. */
    public static IndexTargets ofSpec(SyncSpec spec) {
        Map<String, String> targets = new LinkedHashMap<>();
        spec.indexes().forEach(index -> targets.put(index.name(), index.concreteIndex()));
        return new IndexTargets(targets);
    }

    /** The concrete index a rebuild labelled {@code label} builds for {@code index}. */
    public static String rebuilt(IndexSpec index, String label) {
        return index.concreteIndex() + "_" + label;
    }

    /** Whether {@code concrete} holds {@code index} at its spec version: the version's first build or a rebuild of it. */
    public static boolean servesVersion(IndexSpec index, String concrete) {
        return concrete.equals(index.concreteIndex()) || concrete.startsWith(index.concreteIndex() + "_");
    }

    public String concrete(String alias) {
        String concrete = concreteByAlias.get(alias);
        if (concrete == null) {
            throw new IllegalArgumentException("no concrete index resolved for " + alias);
        }
        return concrete;
    }
}
