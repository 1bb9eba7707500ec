package io.datasync.job.enrich;

import io.datasync.job.enrich.ParentUpdate.ChildChanged;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.ArraySpec;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import io.datasync.job.types.Row;
import io.datasync.job.types.RowBuilder;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by an array's element ({@link DocumentKey} {@code <index>#<array>}, child id): the element
 * as the assembler keeps a document — the child's row and its lookups' parts ({@link DocumentState})
 * — and on every change the element's JSON sent to its parent's array ({@link ArrayState}), keyed by
 * the array and the parent the child's foreign key names; a child that moved or went is first
 * withdrawn from the parent it was in. Nothing is held or versioned here: the array state decides
 * what the parent's document sees.
 */
public final class ElementAssembler extends KeyedProcessFunction<DocumentKey, DocumentInput, ParentUpdate> {
    private static final ValueStateDescriptor<DocumentState> ELEMENT = new ValueStateDescriptor<>("element", new DocumentState.Info().info());

    private final Map<String, ArraySpec> arrays = new HashMap<>();
    private final boolean shareValues;

    private transient ValueState<DocumentState> elements;

    /** {@code shareValues}: as the assembler's ({@link DocumentAssembler}). */
    public ElementAssembler(SyncSpec spec, boolean shareValues) {
        for (IndexSpec index : spec.indexes()) {
            index.arrays().forEach(array -> arrays.put(index.elementsOf(array), array));
        }
        this.shareValues = shareValues;
    }

    @Override
    public void open(OpenContext context) {
        elements = getRuntimeContext().getState(ELEMENT);
    }

    @Override
    public void processElement(DocumentInput input, Context context, Collector<ParentUpdate> out) throws Exception {
        String elementsOf = input.document().index();
        ArraySpec array = arrays.get(elementsOf);
        if (array == null) {
            throw new IllegalStateException("array " + elementsOf + " is not in the sync spec");
        }
        DocumentState stored = elements.value();
        DocumentState before = stored == null ? DocumentState.NEW : stored;
        DocumentState after = before.apply(input, shareValues);
        String child = input.document().id();
        String from = before.root() == null ? null : before.root().text(array.foreignKey());
        String to = after.root() == null ? null : after.root().text(array.foreignKey());
        if (from != null && !from.equals(to)) {
            out.collect(new ChildChanged(new ParentKey(elementsOf, from), child, null, input.trace()));
        }
        if (to != null) {
            out.collect(new ChildChanged(new ParentKey(elementsOf, to), child, element(array, after), input.trace()));
        }
        if (after.root() == null && after.parts().isEmpty()) {
            elements.clear();
        } else {
            elements.update(after);
        }
    }

    /** Pure: the element's JSON, its fields in the spec's order, then each lookup's fields as an object (null while the parent is unknown). */
    static Row element(ArraySpec array, DocumentState state) {
        Row root = state.root();
        RowBuilder element = new RowBuilder(root.json().length + 64).fieldsOf(root.project(array.fields()));
        for (Lookup lookup : array.lookups()) {
            String foreignKey = root.text(lookup.foreignKey());
            element.field(lookup.name(), foreignKey == null ? null : state.part(lookup.name(), foreignKey));
        }
        return element.build();
    }
}
