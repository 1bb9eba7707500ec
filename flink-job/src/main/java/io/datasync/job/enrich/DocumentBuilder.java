package io.datasync.job.enrich;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.datasync.job.spec.Expression;
import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.ArraySpec;
import io.datasync.job.spec.SyncSpec.FieldShaping;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import io.datasync.job.types.Row;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Pure: the JSON of one document, written once from its parts' JSON: the root row's columns (all,
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
        return Row.write(generator -> {
            try (JsonParser parser = JsonFields.parser(root)) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String column = parser.currentName();
                    parser.nextToken();
                    String renamed = shaping.rename().get(column);
                    if (renamed == null && derived.contains(column)) {
                        parser.skipChildren();
                    } else {
                        generator.writeFieldName(renamed != null ? renamed : column);
                        Row.copyValue(parser, generator);
                    }
                }
            }
            for (Map.Entry<String, Expression> computed : shaping.computed().entrySet()) {
                Object value;
                try {
                    value = computed.getValue().evaluate(state.root()::get);
                } catch (Expression.EvaluationException e) {
                    problems.accept("index " + index.name() + ": computed field " + computed.getKey() + ": " + e.getMessage());
                    value = null;
                }
                generator.writeFieldName(computed.getKey());
                Row.writeValue(generator, value);
            }
            for (Lookup lookup : index.lookups()) {
                String foreignKey = state.root().text(lookup.foreignKey());
                Row fields = foreignKey == null ? null : state.part(lookup.name(), foreignKey);
                generator.writeFieldName(lookup.name());
                Row.writeValue(generator, fields);
            }
            for (Aggregate aggregate : index.aggregates()) {
                Row results = state.aggregates().get(aggregate.name());
                copyFields(results == null ? Aggregation.empty(aggregate) : results, generator);
            }
            for (ArraySpec array : index.arrays()) {
                Row results = state.aggregates().get(array.name());
                if (results == null) {
                    generator.writeFieldName(array.name());
                    generator.writeStartArray();
                    generator.writeEndArray();
                } else {
                    copyFields(results, generator);
                }
            }
        }).json();
    }

    /** Writes every field of the row's JSON object into the object being generated. */
    static void copyFields(Row row, JsonGenerator generator) throws IOException {
        try (JsonParser parser = JsonFields.parser(row)) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                generator.writeFieldName(parser.currentName());
                parser.nextToken();
                Row.copyValue(parser, generator);
            }
        }
    }

    /** Opens a row's JSON positioned inside its object. */
    static final class JsonFields {
        private JsonFields() {}

        static JsonParser parser(Row row) {
            try {
                JsonParser parser = Row.jsonFactory().createParser(row.json());
                parser.nextToken();
                return parser;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
