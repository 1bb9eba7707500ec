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
            for (ArraySpec array : index.arrays()) {
                tables.add(array.table());
                array.lookups().forEach(lookup -> tables.add(lookup.table()));
            }
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
     * columns and computed fields of the document; {@code arrays}: children held as arrays of objects.
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
            List<Aggregate> aggregates,
            List<ArraySpec> arrays) implements Serializable {
        public IndexSpec(String name, int version, String mapping, String table, String key, List<String> columns, List<Lookup> lookups,
                         List<Aggregate> aggregates) {
            this(name, version, mapping, table, key, columns, null, null, lookups, aggregates, null);
        }

        public IndexSpec(String name, int version, String mapping, String table, String key, List<String> columns, Expression filter,
                         FieldShaping fields, List<Lookup> lookups, List<Aggregate> aggregates) {
            this(name, version, mapping, table, key, columns, filter, fields, lookups, aggregates, null);
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
            arrays = arrays == null ? List.of() : List.copyOf(arrays);
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
            for (ArraySpec array : arrays) {
                // Its results live beside the aggregates' in the document's state, by name.
                if (!declared.add(array.name()) || aggregateNames.contains(array.name())) {
                    throw new InvalidSpecException("index " + name + ": field '" + array.name() + "' is declared twice");
                }
            }
        }

        /** The name an array's elements are kept under in the job's state: {@code <index>#<array>}. */
        public String elementsOf(ArraySpec array) {
            return name + ELEMENTS + array.name();
        }

        /**
         * The document's field names a root column of the same name gives way to (it is not written):
         * lookups, aggregate results, computed and renamed fields, and the excluded columns.
         */
        public Set<String> fieldsOverColumns() {
            Set<String> names = new java.util.HashSet<>();
            lookups.forEach(lookup -> names.add(lookup.name()));
            aggregates.forEach(aggregate -> names.addAll(aggregate.fields().keySet()));
            arrays.forEach(array -> names.add(array.name()));
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

    /** Separates an index's name from an array's in the names of the array's elements ({@link IndexSpec#elementsOf}). */
    public static final String ELEMENTS = "#";

    /**
     * One-to-many as nested objects: the rows of {@code table} whose {@code foreignKey} names the root
     * row (by the index's key), each as an object of its {@code fields} and its own {@code lookups},
     * the best {@code limit} of them by {@code orderBy} (columns among the fields, each {@code asc} by
     * default or {@code desc}; then {@code key}, so no two tie). {@code filter}: which children appear.
     */
    public record ArraySpec(String name, String table, String key, String foreignKey, List<String> fields, List<Lookup> lookups,
            List<String> orderBy, Integer limit, Expression filter) implements Serializable {
        public static final int MAX_LIMIT = 1000;

        public ArraySpec {
            SpecChecks.require(name, "arrays[].name");
            String what = "array " + name + ": ";
            SpecChecks.require(table, what + "table");
            SpecChecks.require(key, what + "key");
            SpecChecks.require(foreignKey, what + "foreign_key");
            if (fields == null || fields.isEmpty()) {
                throw new InvalidSpecException(what + "fields must list the child columns of each element");
            }
            fields = List.copyOf(fields);
            if (!fields.contains(key)) {
                throw new InvalidSpecException(what + "fields must include the child's key '" + key + "' (" + String.join(", ", fields) + ")");
            }
            lookups = lookups == null ? List.of() : List.copyOf(lookups);
            Set<String> declared = new LinkedHashSet<>(fields);
            for (Lookup lookup : lookups) {
                if (!declared.add(lookup.name())) {
                    throw new InvalidSpecException(what + "field '" + lookup.name() + "' is declared twice");
                }
            }
            if (limit == null) {
                throw new InvalidSpecException(what + "limit is required (1 to " + MAX_LIMIT + "): an array is kept bounded");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidSpecException(what + "limit must be 1 to " + MAX_LIMIT + ", not " + limit);
            }
            if (orderBy == null || orderBy.isEmpty()) {
                throw new InvalidSpecException(what + "order_by is required with limit (which elements are kept)");
            }
            orderBy = List.copyOf(orderBy);
            for (String term : orderBy) {
                String column = orderTerm(what, term)[0];
                if (!fields.contains(column)) {
                    throw new InvalidSpecException(what + "order_by '" + term + "': '" + column + "' is not one of its fields (" + String.join(", ", fields) + ")");
                }
            }
        }

        /** The columns the elements are ordered by, in order. */
        public List<String> orderColumns() {
            return orderBy.stream().map(term -> orderTerm("", term)[0]).toList();
        }

        /** Per order column: whether it is descending. */
        public List<Boolean> descending() {
            return orderBy.stream().map(term -> orderTerm("", term)).map(words -> words.length == 2 && words[1].equals("desc")).toList();
        }

        /** The child columns an element is made from: its fields, the foreign key, its lookups' foreign keys. */
        public List<String> childColumns() {
            Set<String> columns = new LinkedHashSet<>(fields);
            columns.add(foreignKey);
            lookups.forEach(lookup -> columns.add(lookup.foreignKey()));
            return List.copyOf(columns);
        }

        /** {@code <column> [asc|desc]}, as its one or two words. */
        private static String[] orderTerm(String what, String term) {
            String[] words = term == null ? new String[0] : term.trim().toLowerCase(java.util.Locale.ROOT).split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty() || (words.length == 2 && !words[1].equals("asc") && !words[1].equals("desc"))) {
                throw new InvalidSpecException(what + "order_by '" + term + "': expected '<column>', '<column> asc' or '<column> desc'");
            }
            return words;
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
