package io.datasync.job.enrich;

import io.datasync.job.enrich.DocumentInput.AggregateResults;
import io.datasync.job.enrich.DocumentInput.Part;
import io.datasync.job.enrich.DocumentInput.RootRow;
import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import io.datasync.job.types.Shared;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The assembler's one value per document: its root row (null: deleted or not yet seen), the
 * looked-up parts by lookup and parent (a moved child briefly has two for one lookup: the root
 * row's foreign key picks), the aggregate results by name, the write counter (it outlives a delete,
 * so a re-inserted id keeps getting higher versions), when the pending write is due
 * ({@link #NOT_PENDING}, {@link #HELD_FOR_SNAPSHOT} or a processing time), and the last change seen
 * (without its key when that is the document's id: {@link Trace#compact}).
 */
@TypeInfo(DocumentState.Info.class)
public record DocumentState(Row root, List<PartEntry> parts, Map<String, Row> aggregates, long writes, long pendingAt, Trace last) {
    public static final long NOT_PENDING = 0;
    public static final long HELD_FOR_SNAPSHOT = Long.MIN_VALUE;
    public static final DocumentState NEW = new DocumentState(null, List.of(), Map.of(), 0, NOT_PENDING, null);

    /** The fields of one parent for one lookup (on the heap, one shared instance for all the parent's children). */
    public record PartEntry(String lookup, String parentKey, Row fields) {}

    public DocumentState {
        parts = List.copyOf(parts);
        // Most documents have no aggregate: no map of their own (a million empty TreeMaps were ~8% of the heap).
        aggregates = aggregates.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(aggregates));
    }

    public DocumentState apply(DocumentInput input) {
        return apply(input, false);
    }

    /**
     * With {@code shareParts}, a parent's fields are one instance for all its children's documents
     * ({@link Shared}): memory saved on the heap backend; under RocksDB, which deserializes on every
     * read, only a lookup for nothing.
     */
    public DocumentState apply(DocumentInput input, boolean shareParts) {
        Trace trace = Trace.compact(input.trace(), input.document().id());
        if (input instanceof RootRow root) {
            return new DocumentState(root.row(), parts, aggregates, writes, pendingAt, trace);
        }
        if (input instanceof Part part) {
            List<PartEntry> next = new ArrayList<>(parts.size() + 1);
            for (PartEntry entry : parts) {
                if (!(entry.lookup().equals(part.lookup()) && entry.parentKey().equals(part.parentKey()))) {
                    next.add(entry);
                }
            }
            if (part.fields() != null) {
                PartEntry entry = new PartEntry(part.lookup(), part.parentKey(), part.fields());
                next.add(shareParts ? Shared.of(entry) : entry);
            }
            return new DocumentState(root, next, aggregates, writes, pendingAt, trace);
        }
        AggregateResults results = (AggregateResults) input;
        Map<String, Row> next = new TreeMap<>(aggregates);
        next.put(results.aggregate(), results.results());
        return new DocumentState(root, parts, next, writes, pendingAt, trace);
    }

    /** The part of {@code lookup} for parent {@code parentKey}, if known. */
    public Row part(String lookup, String parentKey) {
        for (PartEntry entry : parts) {
            if (entry.lookup().equals(lookup) && entry.parentKey().equals(parentKey)) {
                return entry.fields();
            }
        }
        return null;
    }

    public DocumentState pending(long at) {
        return new DocumentState(root, parts, aggregates, writes, at, last);
    }

    /**
     * After a write: the counter advanced, nothing pending. A deleted document keeps its parts and
     * non-empty results (its row may come back) and forgets the rest.
     */
    public DocumentState written(Map<String, Row> emptyResults) {
        Map<String, Row> kept = new TreeMap<>(aggregates);
        if (root == null) {
            kept.entrySet().removeIf(result -> result.getValue().equals(emptyResults.get(result.getKey())));
        }
        boolean nothingLeft = root == null && parts.isEmpty() && kept.isEmpty();
        return new DocumentState(root, parts, kept, writes + 1, NOT_PENDING, nothingLeft ? null : last);
    }

    public static final class Serializer extends CompactSerializer<DocumentState> {
        @Override
        protected void write(DocumentState state, DataOutputView out) throws IOException {
            Codec.writeRow(state.root, out);
            out.writeInt(state.parts.size());
            for (PartEntry part : state.parts) {
                Codec.writeString(part.lookup(), out);
                Codec.writeString(part.parentKey(), out);
                Codec.writeRow(part.fields(), out);
            }
            out.writeInt(state.aggregates.size());
            for (Map.Entry<String, Row> results : state.aggregates.entrySet()) {
                Codec.writeString(results.getKey(), out);
                Codec.writeRow(results.getValue(), out);
            }
            out.writeLong(state.writes);
            out.writeLong(state.pendingAt);
            out.writeBoolean(state.last != null);
            if (state.last != null) {
                Trace.write(state.last, out);
            }
        }

        @Override
        protected DocumentState read(DataInputView in) throws IOException {
            Row root = Codec.readRow(in);
            int partCount = in.readInt();
            List<PartEntry> parts = new ArrayList<>(partCount);
            for (int i = 0; i < partCount; i++) {
                parts.add(new PartEntry(Codec.readName(in), Codec.readString(in), Codec.readRow(in)));
            }
            int aggregateCount = in.readInt();
            Map<String, Row> aggregates = new TreeMap<>();
            for (int i = 0; i < aggregateCount; i++) {
                aggregates.put(Codec.readName(in), Codec.readRow(in));
            }
            long writes = in.readLong();
            long pendingAt = in.readLong();
            Trace last = in.readBoolean() ? Trace.read(in) : null;
            return new DocumentState(root, parts, aggregates, writes, pendingAt, last);
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<DocumentState> {
        public Info() {
            super(DocumentState.class, Serializer::new, false);
        }
    }
}
