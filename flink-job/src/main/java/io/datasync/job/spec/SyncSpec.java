package io.datasync.job.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the job syncs: for each OpenSearch index, its root table and key, the parent rows it looks
 * up (many-to-one) and the child rows it aggregates (one-to-many), which rows count (filters) and
 * how the document's fields are shaped; per table, which rows count as deleted (soft deletes).
 * Parsed from YAML by {@link SyncSpecParser}; immutable and validated on construction.
 */
public record SyncSpec(Source source, @JsonProperty("tables") Map<String, TableSpec> tableSettings, List<IndexSpec> indexes) implements Serializable {

    public SyncSpec(Source source, List<IndexSpec> indexes) {
        this(source, Map.of(), indexes);
    }

    public SyncSpec {
        if (source == null) {
            throw new InvalidSpecException("source: missing (topic_prefix and schema)");
        }
        if (indexes == null || indexes.isEmpty()) {
            throw new InvalidSpecException("indexes: at least one index is needed");
        }
        indexes = List.copyOf(indexes);
        tableSettings = tableSettings == null ? Map.of() : Map.copyOf(tableSettings);
        for (String table : tableSettings.keySet()) {
            if (!tables(indexes).contains(table)) {
                throw new InvalidSpecException("tables: '" + table + "' is not a table of any index (" + String.join(", ", tables(indexes)) + ")");
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (IndexSpec index : indexes) {
            if (!names.add(index.name())) {
                throw new InvalidSpecException("indexes: '" + index.name() + "' is declared twice");
            }
        }
    }

    /** Where the change events come from: topics are {@code <topicPrefix>.<schema>.<table>}. */
    public record Source(String topicPrefix, String schema) implements Serializable {
        public Source {
            SpecChecks.require(topicPrefix, "source.topic_prefix");
            SpecChecks.require(schema, "source.schema");
        }
    }

    /** Settings of one table, for every use of it. */
    public record TableSpec(Expression softDelete) implements Serializable {}

    /**
     * The predicate that makes a row of {@code table} count as deleted everywhere (its document gone,
     * its contributions withdrawn), or null.
     */
    public Expression softDelete(String table) {
        TableSpec settings = tableSettings.get(table);
        return settings == null ? null : settings.softDelete();
    }

    /** Every table the spec reads, roots first, in declaration order. */
    public Set<String> tables() {
        return tables(indexes);
    }

    private static Set<String> tables(List<IndexSpec> indexes) {
        Set<String> tables = new LinkedHashSet<>();
        indexes.forEach(index -> tables.add(index.table()));
        for (IndexSpec index : indexes) {
            index.lookups().forEach(lookup -> tables.add(lookup.table()));
            index.aggregates().forEach(aggregate -> tables.add(aggregate.table()));
        }
        return tables;
    }

    public String topic(String table) {
        return source.topicPrefix() + "." + source.schema() + "." + table;
    }

    /** The table a topic carries, when it is one of the spec's. */
    public Optional<String> tableOfTopic(String topic) {
        return Optional.ofNullable(tablesByTopic().get(topic));
    }

    /** Each of the spec's topics with the table it carries (built anew: callers on a hot path keep it). */
    public Map<String, String> tablesByTopic() {
        Map<String, String> tables = new java.util.HashMap<>();
        tables().forEach(table -> tables.put(topic(table), table));
        return tables;
    }

    public IndexSpec index(String name) {
        return indexes.stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no index " + name + " in the sync spec"));
    }

    /**
     * One index. {@code columns} empty means every column of the root row, new ones included.
     * {@code mapping} names the JSON file (settings and mappings) the job creates the index from.
     * {@code filter}: which root rows are documents (null: all); {@code fields}: renames, excluded
     * columns and computed fields of the document.
     */
    public record IndexSpec(
            String name,
            int version,
            String mapping,
            String table,
            String key,
            List<String> columns,
            Expression filter,
            FieldShaping fields,
            List<Lookup> lookups,
            List<Aggregate> aggregates) implements Serializable {
        public IndexSpec(String name, int version, String mapping, String table, String key, List<String> columns, List<Lookup> lookups,
                         List<Aggregate> aggregates) {
            this(name, version, mapping, table, key, columns, null, null, lookups, aggregates);
        }

        public IndexSpec {
            SpecChecks.require(name, "indexes[].name");
            SpecChecks.require(table, "index " + name + ": table");
            SpecChecks.require(key, "index " + name + ": key");
            SpecChecks.require(mapping, "index " + name + ": mapping");
            if (version < 1) {
                throw new InvalidSpecException("index " + name + ": version must be 1 or more, not " + version);
            }
            columns = columns == null ? List.of() : List.copyOf(columns);
            lookups = lookups == null ? List.of() : List.copyOf(lookups);
            aggregates = aggregates == null ? List.of() : List.copyOf(aggregates);
            fields = fields == null ? FieldShaping.NONE : fields;
            Set<String> declared = new LinkedHashSet<>();
            for (Lookup lookup : lookups) {
                if (!declared.add(lookup.name())) {
                    throw new InvalidSpecException("index " + name + ": field '" + lookup.name() + "' is declared twice");
                }
            }
            for (String computed : fields.computed().keySet()) {
                if (!declared.add(computed)) {
                    throw new InvalidSpecException("index " + name + ": field '" + computed + "' is declared twice");
                }
            }
            for (String renamed : fields.rename().values()) {
                if (!declared.add(renamed)) {
                    throw new InvalidSpecException("index " + name + ": field '" + renamed + "' is declared twice (fields.rename)");
                }
            }
            Set<String> aggregateNames = new LinkedHashSet<>();
            for (Aggregate aggregate : aggregates) {
                if (!aggregateNames.add(aggregate.name())) {
                    throw new InvalidSpecException("index " + name + ": aggregate '" + aggregate.name() + "' is declared twice (give each a distinct name)");
                }
                for (String field : aggregate.fields().keySet()) {
                    if (!declared.add(field)) {
                        throw new InvalidSpecException("index " + name + ": field '" + field + "' is declared twice");
                    }
                }
            }
        }

        /**
         * The document's field names a root column of the same name gives way to (it is not written):
         * lookups, aggregate results, computed and renamed fields, and the excluded columns.
         */
        public Set<String> fieldsOverColumns() {
            Set<String> names = new java.util.HashSet<>();
            lookups.forEach(lookup -> names.add(lookup.name()));
            aggregates.forEach(aggregate -> names.addAll(aggregate.fields().keySet()));
            names.addAll(fields.computed().keySet());
            names.addAll(fields.rename().values());
            names.addAll(fields.exclude());
            return names;
        }

        /** The concrete, versioned index behind the alias. */
        public String concreteIndex() {
            return name + "_v" + version;
        }
    }

    /** Many-to-one: the root row's {@code foreignKey} names a row of {@code table} by its {@code key}. */
    public record Lookup(String name, String table, String foreignKey, String key, List<String> fields) implements Serializable {
        public Lookup {
            SpecChecks.require(name, "lookups[].name");
            SpecChecks.require(table, "lookup " + name + ": table");
            SpecChecks.require(foreignKey, "lookup " + name + ": foreign_key");
            SpecChecks.require(key, "lookup " + name + ": key");
            if (fields == null || fields.isEmpty()) {
                throw new InvalidSpecException("lookup " + name + ": fields must list the parent columns to copy");
            }
            fields = List.copyOf(fields);
        }
    }

    /**
     * One-to-many: rows of {@code table} whose {@code foreignKey} names the root row. {@code name}
     * identifies it in the job's state (default {@code <table>_by_<foreign_key>}), so reordering
     * the spec's aggregates does not change what a savepoint means. {@code filter}: which children
     * count (null: all).
     */
    public record Aggregate(String name, String table, String foreignKey, Expression filter, Map<String, AggregateField> fields) implements Serializable {
        public Aggregate(String name, String table, String foreignKey, Map<String, AggregateField> fields) {
            this(name, table, foreignKey, null, fields);
        }

        public Aggregate {
            SpecChecks.require(table, "aggregates[].table");
            if (name == null || name.isBlank()) {
                name = table + "_by_" + foreignKey;
            }
            SpecChecks.require(foreignKey, "aggregate over " + table + ": foreign_key");
            if (fields == null || fields.isEmpty()) {
                throw new InvalidSpecException("aggregate over " + table + ": fields must name at least one result");
            }
            fields = Map.copyOf(fields);
        }
    }

    /**
     * How a document's own fields differ from its root row's columns: {@code computed} fields added
     * (in their order, from the row's columns), then {@code rename}d columns (old name to new) and
     * {@code exclude}d ones. Lookups and aggregates keep their names.
     */
    public record FieldShaping(Map<String, String> rename, List<String> exclude, Map<String, Expression> computed) implements Serializable {
        public static final FieldShaping NONE = new FieldShaping(Map.of(), List.of(), Map.of());

        public FieldShaping {
            rename = rename == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rename));
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
            computed = computed == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(computed));
            for (String column : exclude) {
                if (rename.containsKey(column)) {
                    throw new InvalidSpecException("fields: '" + column + "' is both renamed and excluded");
                }
            }
        }

        public boolean isNone() {
            return rename.isEmpty() && exclude.isEmpty() && computed.isEmpty();
        }
    }

    /** How one aggregate field is computed. */
    public record AggregateField(AggregateFunction function, String column) implements Serializable {
        public AggregateField {
            if (function == null) {
                throw new InvalidSpecException("aggregate field: function must be one of count, max, min, sum");
            }
            if (function != AggregateFunction.COUNT) {
                SpecChecks.require(column, "aggregate " + function.name().toLowerCase() + ": column");
            }
        }
    }

    public enum AggregateFunction {
        COUNT,
        MAX,
        MIN,
        SUM
    }
}
