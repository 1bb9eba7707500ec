package io.datasync.job.spec;

import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.AggregateField;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A child table's foreign key to a parent table's key, with every lookup and aggregate of the spec
 * that follows it. The job keeps one piece of state per relation and parent, whatever number of
 * indexes use it: the parent's looked-up fields, and per child its inputs to the aggregates. For
 * the default spec: comments.video_id → videos.video_id (the comment's {@code video} and the
 * video's counts) and comments.channel_id → users.channel_id.
 *
 * <p>{@code childFilter}: only the children it holds for belong to the relation (a lookup of a
 * filtered index: its documents; an aggregate's filter: the children it counts). Each filter makes a
 * relation of its own, named after the unfiltered one plus the filter's SQL, so that the unfiltered
 * relations keep their names (and a savepoint its meaning).
 */
public record Relation(String name, String childTable, String foreignKey, String parentTable, String parentKey, Expression childFilter,
        List<LookupUse> lookups, List<AggregateUse> aggregates, List<String> lookupColumns, List<String> contributionColumns) implements Serializable {

    /** A lookup of {@code index} (or of an array's elements, {@link IndexSpec#elementsOf}): its documents (children) carry the parent's fields. */
    public record LookupUse(String index, Lookup lookup) implements Serializable {}

    /** An aggregate of {@code index}: its documents (parents) carry results over their children. */
    public record AggregateUse(String index, Aggregate aggregate) implements Serializable {}

    /**
     * A relation of these lookups and aggregates, with the columns derived from them once (they are
     * read for every row change): the parent columns any lookup copies, in first-declared order, and
     * the child columns any aggregate reads, sorted (a child's contribution).
     */
    static Relation of(String name, String childTable, String foreignKey, String parentTable, String parentKey, Expression childFilter,
            List<LookupUse> lookups, List<AggregateUse> aggregates) {
        LinkedHashSet<String> lookupColumns = new LinkedHashSet<>();
        lookups.forEach(use -> lookupColumns.addAll(use.lookup().fields()));
        TreeSet<String> contributionColumns = new TreeSet<>();
        aggregates.forEach(use -> use.aggregate().fields().values().stream().map(AggregateField::column).filter(Objects::nonNull)
                .forEach(contributionColumns::add));
        return new Relation(name, childTable, foreignKey, parentTable, parentKey, childFilter, List.copyOf(lookups), List.copyOf(aggregates),
                List.copyOf(lookupColumns), List.copyOf(contributionColumns));
    }

    /** Every relation of the spec, by name. */
    public static Map<String, Relation> of(SyncSpec spec) {
        Map<String, Builder> builders = new LinkedHashMap<>();
        for (IndexSpec index : spec.indexes()) {
            for (Lookup lookup : index.lookups()) {
                builders.computeIfAbsent(name(index.table(), lookup.foreignKey(), lookup.table(), lookup.key(), index.filter()),
                        n -> new Builder(n, index.table(), lookup.foreignKey(), lookup.table(), lookup.key(), index.filter())).lookups
                        .add(new LookupUse(index.name(), lookup));
            }
            // An array's element is a document of its own to its lookups (named <index>#<array>), holding only the children that appear.
            for (SyncSpec.ArraySpec array : index.arrays()) {
                for (Lookup lookup : array.lookups()) {
                    builders.computeIfAbsent(name(array.table(), lookup.foreignKey(), lookup.table(), lookup.key(), array.filter()),
                            n -> new Builder(n, array.table(), lookup.foreignKey(), lookup.table(), lookup.key(), array.filter())).lookups
                            .add(new LookupUse(index.elementsOf(array), lookup));
                }
            }
            for (Aggregate aggregate : index.aggregates()) {
                builders.computeIfAbsent(name(aggregate.table(), aggregate.foreignKey(), index.table(), index.key(), aggregate.filter()),
                        n -> new Builder(n, aggregate.table(), aggregate.foreignKey(), index.table(), index.key(), aggregate.filter())).aggregates
                        .add(new AggregateUse(index.name(), aggregate));
            }
        }
        Map<String, Relation> relations = new LinkedHashMap<>();
        builders.forEach((name, b) -> relations.put(name, Relation.of(name, b.child, b.foreignKey, b.parent, b.parentKey, b.filter, b.lookups, b.aggregates)));
        return relations;
    }

    static String name(String childTable, String foreignKey, String parentTable, String parentKey, Expression childFilter) {
        return childTable + "." + foreignKey + "->" + parentTable + "." + parentKey + (childFilter == null ? "" : " where " + childFilter.sql());
    }

    private static final class Builder {
        final String name;
        final String child;
        final String foreignKey;
        final String parent;
        final String parentKey;
        final Expression filter;
        final List<LookupUse> lookups = new ArrayList<>();
        final List<AggregateUse> aggregates = new ArrayList<>();

        Builder(String name, String child, String foreignKey, String parent, String parentKey, Expression filter) {
            this.name = name;
            this.filter = filter;
            this.child = child;
            this.foreignKey = foreignKey;
            this.parent = parent;
            this.parentKey = parentKey;
        }
    }
}
