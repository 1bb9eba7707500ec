package io.datasync.job.enrich;

import io.datasync.job.spec.Expression;
import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.ArraySpec;
import io.datasync.job.spec.SyncSpec.FieldShaping;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import io.datasync.job.types.Row;
import io.datasync.job.types.RowBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Pure: the JSON of one document, spliced once from its parts' JSON ({@link RowBuilder}): the root row's columns (all,
 * or the index's {@code columns}; renamed or excluded as its {@code fields} say), its computed
 * fields, each lookup's fields as an object (null while the parent is unknown), each aggregate's
 * results, each array (empty until its results arrive). A lookup, aggregate, computed or renamed field wins over a root column of the same name.
 */
public final class DocumentBuilder {
    private DocumentBuilder() {}

    public static byte[] build(IndexSpec index, DocumentState state) {
        return build(index, state, problem -> {
            throw new Expression.EvaluationException(problem);
        });
    }

    /** {@code problems}: a computed field that cannot be computed on this row (it is written as null). */
    public static byte[] build(IndexSpec index, DocumentState state, Consumer<String> problems) {
        return build(index, index.fieldsOverColumns(), state, problems);
    }

    /** {@code derived}: the index's {@link IndexSpec#fieldsOverColumns()}, which a caller building many documents keeps. */
    public static byte[] build(IndexSpec index, Set<String> derived, DocumentState state, Consumer<String> problems) {
        Row root = index.columns().isEmpty() ? state.root() : state.root().project(index.columns());
        FieldShaping shaping = index.fields();
        RowBuilder document = new RowBuilder(root.json().length + 64 + 256 * index.arrays().size());
        byte[] columns = root.json();
        root.forEachField((column, start, end) -> {
            String renamed = shaping.rename().get(column);
            if (renamed != null || !derived.contains(column)) {
                document.field(renamed != null ? renamed : column, columns, start, end);
            }
        });
        for (Map.Entry<String, Expression> computed : shaping.computed().entrySet()) {
            Object value;
            try {
                value = computed.getValue().evaluate(state.root()::get);
            } catch (Expression.EvaluationException e) {
                problems.accept("index " + index.name() + ": computed field " + computed.getKey() + ": " + e.getMessage());
                value = null;
            }
            document.value(computed.getKey(), value);
        }
        for (Lookup lookup : index.lookups()) {
            String foreignKey = state.root().text(lookup.foreignKey());
            document.field(lookup.name(), foreignKey == null ? null : state.part(lookup.name(), foreignKey));
        }
        for (Aggregate aggregate : index.aggregates()) {
            Row results = state.aggregates().get(aggregate.name());
            document.fieldsOf(results == null ? Aggregation.empty(aggregate) : results);
        }
        for (ArraySpec array : index.arrays()) {
            Row results = state.aggregates().get(array.name());
            if (results == null) {
                document.array(array.name(), List.of());
            } else {
                document.fieldsOf(results);
            }
        }
        return document.build().json();
    }
}
