package io.datasync.job.enrich;

import io.datasync.job.enrich.DocumentInput.RootRow;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.ParentUpdate.ParentChanged;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.Expression;
import io.datasync.job.spec.Relation;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.ArraySpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.types.Row;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Pure: what one row delta means. To every index rooted at its table, the root row; to every
 * relation where its table is the child, the child joining, changing or leaving a parent (a moved
 * child leaves the old parent and joins the new one); to every relation where it is the parent,
 * the parent's looked-up fields when they change. Nothing is sent for a change no document sees.
 *
 * <p>First, a side of the delta that the table's {@code soft_delete} says is deleted counts as
 * absent; then an index's {@code filter} decides whether its root row is a document (a row that
 * stops passing is a delete, one that starts is an insert), and a filtered relation holds only the
 * children that pass its filter. An array's child row goes, as the root row of its element, to the
 * array's element assembler ({@link ElementAssembler}). A predicate that cannot be evaluated on a row (text compared with
 * a number, say) is reported to {@code problems} (a dead letter) and taken as not holding.
 */
public final class Router implements Serializable {
    private final SyncSpec spec;
    private final Map<String, Relation> relations;
    private final List<ArrayRoute> arrays;

    /** An array of an index, with what routing its children needs, derived once. */
    private record ArrayRoute(String table, String elementsOf, List<String> childColumns, Expression filter, String what) implements Serializable {}

    public Router(SyncSpec spec) {
        this.spec = spec;
        this.relations = Relation.of(spec);
        List<ArrayRoute> routes = new java.util.ArrayList<>();
        for (IndexSpec index : spec.indexes()) {
            for (ArraySpec array : index.arrays()) {
                routes.add(new ArrayRoute(array.table(), index.elementsOf(array), array.childColumns(), array.filter(),
                        "index " + index.name() + ": array " + array.name() + ": filter"));
            }
        }
        this.arrays = List.copyOf(routes);
    }

    public void route(RowDelta delta, Consumer<DocumentInput> documents, Consumer<ParentUpdate> parents) {
        route(delta, documents, parents, problem -> {
            throw new Expression.EvaluationException(problem);
        });
    }

    public void route(RowDelta delta, Consumer<DocumentInput> documents, Consumer<ParentUpdate> parents, Consumer<String> problems) {
        Trace trace = new Trace(delta.table(), delta.key(), delta.lsn(), delta.commitMillis());
        Expression softDelete = spec.softDelete(delta.table());
        Row before = live(delta.before(), softDelete, problems);
        Row after = live(delta.after(), softDelete, problems);
        // A delete of a row never seen: its key is all there is, and every use of it is told.
        boolean unknownDelete = delta.before() == null && delta.after() == null;
        if (before == null && after == null && !unknownDelete) {
            return; // changed while soft-deleted, or soft-deleted when first seen: no document knows it
        }
        for (IndexSpec index : spec.indexes()) {
            if (index.table().equals(delta.table())) {
                boolean was = passes(index.filter(), before, "index " + index.name() + ": filter", problems);
                Row now = passes(index.filter(), after, "index " + index.name() + ": filter", problems) ? after : null;
                if (now != null || was || unknownDelete) {
                    documents.accept(new RootRow(new DocumentKey(index.name(), delta.key()), now, trace));
                }
            }
        }
        for (ArrayRoute array : arrays) {
            if (array.table().equals(delta.table())) {
                element(array, delta.key(), before, after, unknownDelete, trace, documents, problems);
            }
        }
        for (Relation relation : relations.values()) {
            if (relation.childTable().equals(delta.table())) {
                String what = "relation " + relation.name() + ": filter";
                child(relation, delta.key(), passes(relation.childFilter(), before, what, problems) ? before : null,
                        passes(relation.childFilter(), after, what, problems) ? after : null, trace, parents);
            }
            if (relation.parentTable().equals(delta.table()) && !relation.lookups().isEmpty()) {
                parent(relation, delta.key(), before, after, unknownDelete, trace, parents);
            }
        }
    }

    /**
     * An array's child as the root row of its element ({@link IndexSpec#elementsOf}), with only the
     * columns the element is made from; nothing when none of them changed.
     */
    private static void element(ArrayRoute array, String key, Row before, Row after, boolean unknownDelete, Trace trace,
                                Consumer<DocumentInput> documents, Consumer<String> problems) {
        Row was = passes(array.filter(), before, array.what(), problems) ? before.project(array.childColumns()) : null;
        Row now = passes(array.filter(), after, array.what(), problems) ? after.project(array.childColumns()) : null;
        if ((now != null && !now.equals(was)) || (now == null && (was != null || unknownDelete))) {
            documents.accept(new RootRow(new DocumentKey(array.elementsOf(), key), now, trace));
        }
    }

    /** The row, or null when it is absent or soft-deleted. */
    private static Row live(Row row, Expression softDelete, Consumer<String> problems) {
        if (row == null || softDelete == null) {
            return row;
        }
        try {
            return softDelete.holds(row::get) ? null : row;
        } catch (Expression.EvaluationException e) {
            problems.accept("soft_delete: " + e.getMessage() + " (the row is taken as not deleted)");
            return row;
        }
    }

    /** Whether a present row passes a filter (none: every present row does). */
    private static boolean passes(Expression filter, Row row, String what, Consumer<String> problems) {
        if (row == null || filter == null) {
            return row != null;
        }
        try {
            return filter.holds(row::get);
        } catch (Expression.EvaluationException e) {
            problems.accept(what + ": " + e.getMessage() + " (the row is taken as not passing)");
            return false;
        }
    }

    /** {@code before} and {@code after}: the child as a member of the relation (null: not one). */
    private static void child(Relation relation, String key, Row before, Row after, Trace trace, Consumer<ParentUpdate> parents) {
        String from = text(before, relation.foreignKey());
        String to = text(after, relation.foreignKey());
        List<String> columns = relation.contributionColumns();
        Row contribution = after == null ? null : after.project(columns);
        if (from != null && !from.equals(to)) {
            parents.accept(new ChildChanged(new ParentKey(relation.name(), from), key, null, trace));
        }
        if (to != null && (!to.equals(from) || !contribution.equals(before.project(columns)))) {
            parents.accept(new ChildChanged(new ParentKey(relation.name(), to), key, contribution, trace));
        }
    }

    /** Children find a parent by the relation's key column, which need not be its primary key. */
    private static void parent(Relation relation, String key, Row beforeRow, Row afterRow, boolean unknownDelete, Trace trace,
                               Consumer<ParentUpdate> parents) {
        String before = text(beforeRow, relation.parentKey());
        String after = text(afterRow, relation.parentKey());
        if (unknownDelete) {
            before = key;
        }
        List<String> columns = relation.lookupColumns();
        Row fields = afterRow == null ? null : afterRow.project(columns);
        if (before != null && !before.equals(after)) {
            parents.accept(new ParentChanged(new ParentKey(relation.name(), before), null, trace));
        }
        if (after != null && (!after.equals(before) || !Objects.equals(beforeRow == null ? null : beforeRow.project(columns), fields))) {
            parents.accept(new ParentChanged(new ParentKey(relation.name(), after), fields, trace));
        }
    }

    private static String text(Row row, String column) {
        return row == null ? null : row.text(column);
    }
}
