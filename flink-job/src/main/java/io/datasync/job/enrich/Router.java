package io.datasync.job.enrich;

import io.datasync.job.enrich.DocumentInput.RootRow;
import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.enrich.ParentUpdate.ParentChanged;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.Relation;
import io.datasync.job.spec.SyncSpec;
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
 */
public final class Router implements Serializable {
    private final SyncSpec spec;
    private final Map<String, Relation> relations;

    public Router(SyncSpec spec) {
        this.spec = spec;
        this.relations = Relation.of(spec);
    }

    public void route(RowDelta delta, Consumer<DocumentInput> documents, Consumer<ParentUpdate> parents) {
        Trace trace = new Trace(delta.table(), delta.key(), delta.lsn(), delta.commitMillis());
        for (IndexSpec index : spec.indexes()) {
            if (index.table().equals(delta.table())) {
                documents.accept(new RootRow(new DocumentKey(index.name(), delta.key()), delta.after(), trace));
            }
        }
        for (Relation relation : relations.values()) {
            if (relation.childTable().equals(delta.table())) {
                child(relation, delta, trace, parents);
            }
            if (relation.parentTable().equals(delta.table()) && !relation.lookups().isEmpty()) {
                parent(relation, delta, trace, parents);
            }
        }
    }

    private static void child(Relation relation, RowDelta delta, Trace trace, Consumer<ParentUpdate> parents) {
        String before = text(delta.before(), relation.foreignKey());
        String after = text(delta.after(), relation.foreignKey());
        List<String> columns = relation.contributionColumns();
        Row contribution = delta.after() == null ? null : delta.after().project(columns);
        if (before != null && !before.equals(after)) {
            parents.accept(new ChildChanged(new ParentKey(relation.name(), before), delta.key(), null, trace));
        }
        if (after != null && (!after.equals(before) || !contribution.equals(delta.before().project(columns)))) {
            parents.accept(new ChildChanged(new ParentKey(relation.name(), after), delta.key(), contribution, trace));
        }
    }

    /** Children find a parent by the relation's key column, which need not be its primary key. */
    private static void parent(Relation relation, RowDelta delta, Trace trace, Consumer<ParentUpdate> parents) {
        String before = text(delta.before(), relation.parentKey());
        String after = text(delta.after(), relation.parentKey());
        if (delta.before() == null && delta.after() == null) {
            before = delta.key(); // a delete of a row never seen: its key is all there is
        }
        List<String> columns = relation.lookupColumns();
        Row fields = delta.after() == null ? null : delta.after().project(columns);
        if (before != null && !before.equals(after)) {
            parents.accept(new ParentChanged(new ParentKey(relation.name(), before), null, trace));
        }
        if (after != null && (!after.equals(before) || !Objects.equals(delta.before() == null ? null : delta.before().project(columns), fields))) {
            parents.accept(new ParentChanged(new ParentKey(relation.name(), after), fields, trace));
        }
    }

    private static String text(Row row, String column) {
        return row == null ? null : row.text(column);
    }
}
