package io.datasync.job.enrich;

import io.datasync.job.types.Codec;
import io.datasync.job.types.CompactSerializer;
import io.datasync.job.types.CompactTypeInfo;
import io.datasync.job.types.Row;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Parent state's one value per relation and parent: the parent's looked-up fields (null until
 * known or once gone), the results of each aggregate by {@code index/aggregate}, and whether the
 * results wait for the end of Debezium's snapshot (they are then computed once, from all children).
 */
@TypeInfo(ParentSummary.Info.class)
public record ParentSummary(Row fields, Map<String, Row> results, boolean held) {
    public static final ParentSummary NONE = new ParentSummary(null, Map.of(), false);

    public ParentSummary {
        results = results.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(results));
    }

    public ParentSummary withFields(Row newFields) {
        return new ParentSummary(newFields, results, held);
    }

    public ParentSummary withResults(String aggregate, Row value) {
        Map<String, Row> next = new TreeMap<>(results);
        next.put(aggregate, value);
        return new ParentSummary(fields, next, held);
    }

    /** This summary itself when it already is (so an unchanged summary is not written again). */
    public ParentSummary withHeld(boolean nowHeld) {
        return nowHeld == held ? this : new ParentSummary(fields, results, nowHeld);
    }

    public static final class Serializer extends CompactSerializer<ParentSummary> {
        @Override
        protected void write(ParentSummary summary, DataOutputView out) throws IOException {
            Codec.writeRow(summary.fields, out);
            out.writeInt(summary.results.size());
            for (Map.Entry<String, Row> result : summary.results.entrySet()) {
                Codec.writeString(result.getKey(), out);
                Codec.writeRow(result.getValue(), out);
            }
            out.writeBoolean(summary.held);
        }

        @Override
        protected ParentSummary read(DataInputView in) throws IOException {
            Row fields = Codec.readRow(in);
            int count = in.readInt();
            Map<String, Row> results = new TreeMap<>();
            for (int i = 0; i < count; i++) {
                results.put(Codec.readName(in), Codec.readRow(in));
            }
            return new ParentSummary(fields, results, in.readBoolean());
        }
    }

    public static final class Info extends CompactTypeInfo.Factory<ParentSummary> {
        public Info() {
            super(ParentSummary.class, Serializer::new, false);
        }
    }
}
