package io.datasync.verify;

import io.datasync.job.spec.Expression;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpec.Aggregate;
import io.datasync.job.spec.SyncSpec.AggregateField;
import io.datasync.job.spec.SyncSpec.ArraySpec;
import io.datasync.job.spec.SyncSpec.FieldShaping;
import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.job.spec.SyncSpec.Lookup;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What OpenSearch should hold, computed from PostgreSQL with SQL alone: root rows, the parent
 * fields of each lookup, and each aggregate grouped by foreign key. The spec's expressions run as
 * SQL ({@link Expression#sql}): a table's soft delete excludes its deleted rows from every use, an
 * index's filter is its WHERE, an aggregate's filter is added to its children's, and computed
 * fields are columns of the root query; renames and excludes are applied as the job applies them.
 * Arrays are ranked per parent in SQL ({@code row_number() OVER (PARTITION BY … ORDER BY …)}).
 */
public final class ExpectedDocuments {
    /** The root query's alias prefix for computed fields (not a column name anyone uses). */
    private static final String COMPUTED = "__computed__";
    /** An array query's columns of its own: the parent's key, the element's rank, its lookups (their presence and fields). */
    private static final String PARENT = "__parent__";
    private static final String RANK = "__rank__";
    private static final String LOOKUP = "__lookup__";

    private ExpectedDocuments() {}

    /** How many documents the index must hold: one per row of its table that is live and passes its filter. */
    public static long count(Connection db, SyncSpec spec, IndexSpec index) throws SQLException {
        try (Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + quote(index.table()) + where(spec, index.table(), index.filter()))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static Map<String, Map<String, Object>> of(Connection db, SyncSpec spec, IndexSpec index) throws SQLException {
        List<Map<String, Map<String, Object>>> parents = new ArrayList<>();
        for (Lookup lookup : index.lookups()) {
            parents.add(rowsByKey(db, "SELECT " + identifiers(lookup.key(), lookup.fields()) + " FROM " + quote(lookup.table())
                    + where(spec, lookup.table(), null), lookup.key(), lookup.fields()));
        }
        List<Map<String, Map<String, Object>>> aggregates = new ArrayList<>();
        for (Aggregate aggregate : index.aggregates()) {
            aggregates.add(aggregateResults(db, spec, aggregate));
        }
        List<Map<String, List<Map<String, Object>>>> arrays = new ArrayList<>();
        for (ArraySpec array : index.arrays()) {
            arrays.add(arrayElements(db, spec, array));
        }
        FieldShaping shaping = index.fields();
        StringBuilder select = new StringBuilder("SELECT *");
        shaping.computed().forEach((field, expression) -> select.append(", ").append(expression.sql()).append(" AS ").append(quote(COMPUTED + field)));
        Set<String> derived = index.fieldsOverColumns();
        Map<String, Map<String, Object>> documents = new HashMap<>();
        try (Statement statement = streaming(db);
                ResultSet rs = statement.executeQuery(select + " FROM " + quote(index.table()) + where(spec, index.table(), index.filter()))) {
            while (rs.next()) {
                Map<String, Object> row = row(rs);
                Map<String, Object> document = new LinkedHashMap<>();
                for (String column : index.columns().isEmpty() ? row.keySet() : index.columns()) {
                    if (column.startsWith(COMPUTED)) {
                        continue;
                    }
                    String renamed = shaping.rename().get(column);
                    if (renamed != null) {
                        document.put(renamed, row.get(column));
                    } else if (!derived.contains(column)) {
                        document.put(column, row.get(column));
                    }
                }
                shaping.computed().keySet().forEach(field -> document.put(field, row.get(COMPUTED + field)));
                for (int i = 0; i < index.lookups().size(); i++) {
                    Lookup lookup = index.lookups().get(i);
                    Object foreignKey = row.get(lookup.foreignKey());
                    document.put(lookup.name(), foreignKey == null ? null : parents.get(i).get(foreignKey.toString()));
                }
                for (int i = 0; i < index.aggregates().size(); i++) {
                    Map<String, Object> results = aggregates.get(i).get(String.valueOf(row.get(index.key())));
                    document.putAll(results != null ? results : emptyResults(index.aggregates().get(i)));
                }
                for (int i = 0; i < index.arrays().size(); i++) {
                    List<Map<String, Object>> elements = arrays.get(i).get(String.valueOf(row.get(index.key())));
                    document.put(index.arrays().get(i).name(), elements != null ? elements : List.of());
                }
                documents.put(String.valueOf(row.get(index.key())), document);
            }
        }
        return documents;
    }

    /**
     * The WHERE of a use of {@code table}: its live rows (not soft-deleted: the predicate is not
     * true) that pass {@code filter} (true only), and {@code more}.
     */
    static String where(SyncSpec spec, String table, Expression filter, String... more) {
        List<String> conditions = new ArrayList<>(List.of(more));
        Expression softDelete = spec.softDelete(table);
        if (softDelete != null) {
            conditions.add("NOT coalesce(" + softDelete.sql() + ", false)");
        }
        if (filter != null) {
            conditions.add("coalesce(" + filter.sql() + ", false)");
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static Map<String, Map<String, Object>> aggregateResults(Connection db, SyncSpec spec, Aggregate aggregate) throws SQLException {
        List<String> selects = new ArrayList<>();
        List<String> fields = new ArrayList<>(aggregate.fields().keySet());
        for (String field : fields) {
            AggregateField result = aggregate.fields().get(field);
            String expression = switch (result.function()) {
                case COUNT -> "count(*)";
                case SUM -> "coalesce(sum(" + quote(result.column()) + "), 0)";
                case MAX -> "max(" + quote(result.column()) + ")";
                case MIN -> "min(" + quote(result.column()) + ")";
            };
            selects.add(expression + " AS " + quote(field));
        }
        String sql = "SELECT " + quote(aggregate.foreignKey()) + ", " + String.join(", ", selects) + " FROM " + quote(aggregate.table())
                + where(spec, aggregate.table(), aggregate.filter(), quote(aggregate.foreignKey()) + " IS NOT NULL") + " GROUP BY " + quote(aggregate.foreignKey());
        return rowsByKey(db, sql, aggregate.foreignKey(), fields);
    }

    /**
     * Each parent's array, by the parent's key: its live children that pass the array's filter, the
     * best {@code limit} by its order (text compared by code point, as the job does; then the child's
     * key as text), each with its fields and its lookups' objects (null when the parent row is absent
     * or soft-deleted). Parents without children are not in the map.
     */
    public static Map<String, List<Map<String, Object>>> arrayElements(Connection db, SyncSpec spec, ArraySpec array) throws SQLException {
        Set<String> textColumns = textColumns(db, spec, array.table());
        List<String> columns = new ArrayList<>();
        array.fields().forEach(field -> columns.add("c." + quote(field)));
        StringBuilder joins = new StringBuilder();
        for (int i = 0; i < array.lookups().size(); i++) {
            Lookup lookup = array.lookups().get(i);
            String alias = "l" + i;
            columns.add("(" + alias + "." + quote(lookup.key()) + " IS NOT NULL) AS " + quote(LOOKUP + i));
            for (String field : lookup.fields()) {
                columns.add(alias + "." + quote(field) + " AS " + quote(LOOKUP + i + "." + field));
            }
            joins.append(" LEFT JOIN (SELECT * FROM ").append(quote(lookup.table())).append(where(spec, lookup.table(), null)).append(") ")
                    .append(alias).append(" ON ").append(alias).append(".").append(quote(lookup.key())).append(" = c.").append(quote(lookup.foreignKey()));
        }
        List<String> order = new ArrayList<>();
        List<String> orderColumns = array.orderColumns();
        List<Boolean> descending = array.descending();
        for (int i = 0; i < orderColumns.size(); i++) {
            String column = orderColumns.get(i);
            order.add("c." + quote(column) + (textColumns.contains(column) ? " COLLATE \"C\"" : "") + (descending.get(i) ? " DESC" : ""));
        }
        order.add("c." + quote(array.key()) + "::text COLLATE \"C\"");
        String sql = "SELECT * FROM (SELECT c." + quote(array.foreignKey()) + "::text AS " + quote(PARENT) + ", " + String.join(", ", columns)
                + ", row_number() OVER (PARTITION BY c." + quote(array.foreignKey()) + " ORDER BY " + String.join(", ", order) + ") AS " + quote(RANK)
                + " FROM (SELECT * FROM " + quote(array.table()) + where(spec, array.table(), array.filter(), quote(array.foreignKey()) + " IS NOT NULL")
                + ") c" + joins + ") ranked WHERE " + quote(RANK) + " <= " + array.limit() + " ORDER BY " + quote(PARENT) + ", " + quote(RANK);
        Map<String, List<Map<String, Object>>> arrays = new HashMap<>();
        try (Statement statement = streaming(db); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = row(rs);
                Map<String, Object> element = new LinkedHashMap<>();
                array.fields().forEach(field -> element.put(field, row.get(field)));
                for (int i = 0; i < array.lookups().size(); i++) {
                    Lookup lookup = array.lookups().get(i);
                    Map<String, Object> fields = null;
                    if (Boolean.TRUE.equals(row.get(LOOKUP + i))) {
                        fields = new LinkedHashMap<>();
                        for (String field : lookup.fields()) {
                            fields.put(field, row.get(LOOKUP + i + "." + field));
                        }
                    }
                    element.put(lookup.name(), fields);
                }
                arrays.computeIfAbsent((String) row.get(PARENT), parent -> new ArrayList<>()).add(element);
            }
        }
        return arrays;
    }

    /** The columns of {@code table} whose values are text (ordered by code point with {@code COLLATE "C"}). */
    private static Set<String> textColumns(Connection db, SyncSpec spec, String table) throws SQLException {
        Set<String> columns = new java.util.HashSet<>();
        try (java.sql.PreparedStatement statement = db.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND data_type IN ('text', 'character varying', 'character')")) {
            statement.setString(1, spec.source().schema());
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private static Map<String, Object> emptyResults(Aggregate aggregate) {
        Map<String, Object> results = new LinkedHashMap<>();
        aggregate.fields().forEach((field, spec) -> results.put(field, switch (spec.function()) {
            case COUNT, SUM -> 0L;
            case MAX, MIN -> null;
        }));
        return results;
    }

    private static Map<String, Map<String, Object>> rowsByKey(Connection db, String sql, String key, List<String> fields) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Statement statement = streaming(db); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = row(rs);
                Map<String, Object> projected = new LinkedHashMap<>();
                fields.forEach(field -> projected.put(field, row.get(field)));
                rows.put(String.valueOf(row.get(key)), projected);
            }
        }
        return rows;
    }

    /** One row; timestamps as UTC instants (the server's time zone is UTC), the rest as JDBC gives them. */
    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            Object value = rs.getObject(i);
            if (value instanceof Timestamp timestamp) {
                value = timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
            }
            row.put(meta.getColumnLabel(i), value);
        }
        return row;
    }

    private static Statement streaming(Connection db) throws SQLException {
        Statement statement = db.createStatement();
        statement.setFetchSize(10_000);
        return statement;
    }

    private static String identifiers(String key, List<String> fields) {
        List<String> columns = new ArrayList<>();
        columns.add(quote(key));
        fields.stream().filter(field -> !field.equals(key)).map(ExpectedDocuments::quote).forEach(columns::add);
        return String.join(", ", columns);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
