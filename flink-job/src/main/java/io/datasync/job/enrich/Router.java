package io.datasync.job.enrich;

import io.datasync.job.enrich.EnrichMessage.Trace;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pure: what one row delta means for every index of the spec. A moved child (its foreign key
 * changed) is retracted from the old parent and added to the new one.
 */
public final class Router implements Serializable {
    private final SyncSpec spec;

    public Router(SyncSpec spec) {
        this.spec = spec;
    }

    public List<EnrichMessage> route(RowDelta delta) {
        List<EnrichMessage> out = new ArrayList<>();
        Trace trace = new Trace(delta.lsn(), delta.commitMillis(), delta.correlationId());
        for (IndexSpec index : spec.indexes()) {
            if (index.table().equals(delta.table())) {
                out.add(EnrichMessage.rootRow(EnrichMessage.documentTarget(index.name(), delta.key()), delta.after(), trace));
                for (Lookup lookup : index.lookups()) {
                    references(index, lookup, delta, trace, out);
                }
            }
            for (Lookup lookup : index.lookups()) {
                if (lookup.table().equals(delta.table())) {
                    parentRows(index, lookup, delta, trace, out);
                }
            }
            for (int i = 0; i < index.aggregates().size(); i++) {
                Aggregate aggregate = index.aggregates().get(i);
                if (aggregate.table().equals(delta.table())) {
                    contributions(index, i, aggregate, delta, trace, out);
                }
            }
        }
        return out;
    }

    /** Children find a parent by its {@code key} column, which need not be its primary key. */
    private static void parentRows(IndexSpec index, Lookup lookup, RowDelta delta, Trace trace, List<EnrichMessage> out) {
        String before = delta.before() == null ? null : foreignKey(delta.before(), lookup.key());
        String after = delta.after() == null ? null : foreignKey(delta.after(), lookup.key());
        if (delta.before() == null && delta.after() == null) {
            before = delta.key();
        }
        Map<String, Object> fields = delta.after() == null ? null : project(delta.after(), lookup.fields());
        if (before != null && !before.equals(after)) {
            // The parent is gone, or its lookup key changed: children of the old key see it go.
            out.add(EnrichMessage.parentRow(EnrichMessage.lookupTarget(index.name(), lookup.name(), before), lookup.name(), before, null, trace));
        }
        if (after != null && (!after.equals(before) || !Objects.equals(project(delta.before(), lookup.fields()), fields))) {
            out.add(EnrichMessage.parentRow(EnrichMessage.lookupTarget(index.name(), lookup.name(), after), lookup.name(), after, fields, trace));
        }
    }

    private static void references(IndexSpec index, Lookup lookup, RowDelta delta, Trace trace, List<EnrichMessage> out) {
        String before = foreignKey(delta.before(), lookup.foreignKey());
        String after = foreignKey(delta.after(), lookup.foreignKey());
        if (Objects.equals(before, after) && delta.before() != null && delta.after() != null) {
            return;
        }
        if (before != null && !before.equals(after)) {
            out.add(EnrichMessage.reference(EnrichMessage.lookupTarget(index.name(), lookup.name(), before), false, lookup.name(), before, delta.key(), trace));
        }
        if (after != null) {
            out.add(EnrichMessage.reference(EnrichMessage.lookupTarget(index.name(), lookup.name(), after), true, lookup.name(), after, delta.key(), trace));
        }
    }

    private static void contributions(IndexSpec index, int position, Aggregate aggregate, RowDelta delta, Trace trace, List<EnrichMessage> out) {
        List<String> columns = aggregate.fields().values().stream().map(SyncSpec.AggregateField::column).filter(Objects::nonNull).distinct().toList();
        String before = foreignKey(delta.before(), aggregate.foreignKey());
        String after = foreignKey(delta.after(), aggregate.foreignKey());
        Map<String, Object> values = delta.after() == null ? null : project(delta.after(), columns);
        String slot = Integer.toString(position);
        if (before != null && !before.equals(after)) {
            out.add(EnrichMessage.contribution(EnrichMessage.aggregateTarget(index.name(), position, before), slot, before, delta.key(), null, trace));
        }
        if (after != null && (!after.equals(before) || !Objects.equals(project(delta.before(), columns), values))) {
            out.add(EnrichMessage.contribution(EnrichMessage.aggregateTarget(index.name(), position, after), slot, after, delta.key(), values, trace));
        }
    }

    static String foreignKey(Map<String, Object> row, String column) {
        if (row == null) {
            return null;
        }
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }

    static Map<String, Object> project(Map<String, Object> row, List<String> columns) {
        if (row == null) {
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String column : columns) {
            fields.put(column, row.get(column));
        }
        return fields;
    }
}
