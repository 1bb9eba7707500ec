package io.datasync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.enrich.TopElements;
import io.datasync.job.spec.Expression;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.types.Row;
import io.datasync.verify.ExpectedDocuments;
import io.datasync.testing.TestStack;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spec's expressions mean the same in the job and in the verifier: each is evaluated by the job's
 * code on rows as the job holds them (numbers, ISO-8601 UTC timestamps as text, nulls) and by
 * PostgreSQL on the same rows through its SQL text ({@link Expression#sql}), and the answers must be
 * equal, row by row. A difference would be drift that only {@code make verify} could see.
 */
class ExpressionSqlIT {
    static Connection db;

    /** Rows of a table shaped like comments, with the types of the real schema; the job's view of each beside it. */
    static final List<Map<String, Object>> ROWS = new ArrayList<>();

    @BeforeAll
    static void rows() throws SQLException {
        db = TestStack.shared(TestStack.Service.POSTGRES).connect();
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS expression_rows");
            statement.execute("CREATE TABLE expression_rows (id int PRIMARY KEY, comment_text text, likes integer, sentiment_label varchar(50),"
                    + " published_at timestamp, deleted_at timestamp, score numeric(6,2), is_pinned boolean)");
            statement.execute("INSERT INTO expression_rows VALUES"
                    + " (1, 'Great Video', 12, 'positive', '2024-03-01 10:15:30', NULL, 4.50, true),"
                    + " (2, 'meh', 0, NULL, '2023-12-31 23:59:59', '2024-01-02 00:00:00', -1.25, false),"
                    + " (3, 'Ünïcødé ✓', NULL, 'negative', NULL, NULL, NULL, NULL),"
                    + " (4, '', 1000, 'neutral', '2024-03-01 10:15:30.5', NULL, 0, true)");
        }
        ROWS.add(row(1, "Great Video", 12L, "positive", "2024-03-01T10:15:30Z", null, new BigDecimal("4.50"), true));
        ROWS.add(row(2, "meh", 0L, null, "2023-12-31T23:59:59Z", "2024-01-02T00:00:00Z", new BigDecimal("-1.25"), false));
        ROWS.add(row(3, "Ünïcødé ✓", null, "negative", null, null, null, null));
        ROWS.add(row(4, "", 1000L, "neutral", "2024-03-01T10:15:30.5Z", null, new BigDecimal("0"), true));
    }

    @AfterAll
    static void close() throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS expression_rows");
        }
        db.close();
    }

    static Map<String, Object> row(long id, String text, Long likes, String sentiment, String published, String deleted, BigDecimal score, Boolean pinned) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("comment_text", text);
        row.put("likes", likes);
        row.put("sentiment_label", sentiment);
        row.put("published_at", published);
        row.put("deleted_at", deleted);
        row.put("score", score);
        row.put("is_pinned", pinned);
        return row;
    }

    static final List<String> EXPRESSIONS = List.of(
            "deleted_at is not null",
            "deleted_at is null and likes > 0",
            "sentiment_label is not null",
            "sentiment_label in ('positive', 'neutral')",
            "sentiment_label not in ('positive', 'neutral')",
            "sentiment_label not in ('positive', null)",
            "likes >= 12 or sentiment_label = 'negative'",
            "not (likes > 10)",
            "likes <> 0",
            "is_pinned",
            "is_pinned = false",
            "not is_pinned",
            "score > 0",
            "score = 4.5",
            "published_at >= '2024-03-01T10:15:30Z'",
            "published_at < '2024-01-01T00:00:00Z'",
            "comment_text = 'meh'",
            "lower(comment_text) = 'great video'",
            "length(comment_text) > 3",
            "likes * 2 + 1",
            "-likes - 3",
            "score * 2",
            "coalesce(sentiment_label, 'none')",
            "upper(comment_text) || ' (' || coalesce(likes, 0) || ')'",
            "coalesce(likes, 0) * 3 - length(comment_text)",
            "'youtube'");

    @Test
    void everyExpressionGivesTheJobAndPostgreSqlTheSameAnswerOnEveryRow() throws SQLException {
        List<String> differences = new ArrayList<>();
        for (String text : EXPRESSIONS) {
            Expression expression = Expression.parse(text);
            Map<Long, Object> byPostgres = new LinkedHashMap<>();
            try (Statement statement = db.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT id, " + expression.sql() + " FROM expression_rows ORDER BY id")) {
                while (rs.next()) {
                    byPostgres.put(rs.getLong(1), rs.getObject(2));
                }
            }
            for (Map<String, Object> row : ROWS) {
                Object job = expression.evaluate(row::get);
                Object postgres = byPostgres.get((Long) row.get("id"));
                if (!same(job, postgres)) {
                    differences.add(text + " on row " + row.get("id") + ": job " + job + ", PostgreSQL " + postgres);
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    /** Numbers by value (the job's BigDecimal against int, bigint or numeric), the rest as they are. */
    static boolean same(Object job, Object postgres) {
        if (job == null || postgres == null) {
            return job == postgres;
        }
        if (job instanceof BigDecimal number && postgres instanceof Number other) {
            return number.compareTo(new BigDecimal(other.toString())) == 0;
        }
        return job.equals(postgres);
    }

    /**
     * An array's order means the same in the job ({@link TopElements}) and in the verifier's SQL
     * ({@link ExpectedDocuments#arrayElements}): ties, NULLs first or last, text by code point
     * (upper case before lower, accents after), timestamps with fractions, decimals.
     */
    @Test
    void everyArrayOrderKeepsTheSameElementsInTheJobAndInPostgreSql() throws SQLException {
        List<Map<String, Object>> children = new ArrayList<>();
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS array_rows");
            statement.execute("CREATE TABLE array_rows (id varchar(20) PRIMARY KEY, parent varchar(20), comment_text text, likes integer,"
                    + " published_at timestamp, score numeric(6,2))");
            statement.execute("INSERT INTO array_rows VALUES"
                    + " ('a', 'p1', 'zebra', 5, '2024-03-01 10:15:30', 1.50), ('B', 'p1', 'Zebra', 5, '2024-03-01 10:15:30.5', 1.5),"
                    + " ('É', 'p1', 'éclair', NULL, NULL, -2), ('_', 'p1', 'eclair', 12, '2023-01-01 00:00:00', NULL),"
                    + " ('c10', 'p1', NULL, 0, '2024-03-01 10:15:30.25', 0), ('c9', 'p1', 'apple', 5, NULL, 10),"
                    + " ('x', 'p2', 'only', 1, '2020-01-01 00:00:00', 1), ('y', NULL, 'orphan', 99, NULL, NULL)");
        }
        children.add(child("a", "p1", "zebra", 5L, "2024-03-01T10:15:30Z", new BigDecimal("1.50")));
        children.add(child("B", "p1", "Zebra", 5L, "2024-03-01T10:15:30.5Z", new BigDecimal("1.5")));
        children.add(child("É", "p1", "éclair", null, null, new BigDecimal("-2")));
        children.add(child("_", "p1", "eclair", 12L, "2023-01-01T00:00:00Z", null));
        children.add(child("c10", "p1", null, 0L, "2024-03-01T10:15:30.25Z", new BigDecimal("0")));
        children.add(child("c9", "p1", "apple", 5L, null, new BigDecimal("10")));
        children.add(child("x", "p2", "only", 1L, "2020-01-01T00:00:00Z", new BigDecimal("1")));
        children.add(child("y", null, "orphan", 99L, null, null));
        SyncSpec spec = new SyncSpec(new SyncSpec.Source("dbserver", "public"), List.of(new SyncSpec.IndexSpec("parents_index", 1, "m.json", "parents", "id",
                List.of(), List.of(), List.of())));
        List<String> differences = new ArrayList<>();
        for (List<String> orderBy : List.of(List.of("likes desc"), List.of("likes"), List.of("comment_text"), List.of("comment_text desc"),
                List.of("published_at desc"), List.of("published_at"), List.of("score"), List.of("likes desc", "comment_text desc"), List.of("id"))) {
            for (int limit : List.of(1, 3, 10)) {
                SyncSpec.ArraySpec array = new SyncSpec.ArraySpec("kids", "array_rows", "id", "parent",
                        List.of("id", "comment_text", "likes", "published_at", "score"), List.of(), orderBy, limit, null);
                Map<String, List<String>> byPostgres = new java.util.TreeMap<>();
                ExpectedDocuments.arrayElements(db, spec, array).forEach((parent, elements) ->
                        byPostgres.put(parent, elements.stream().map(element -> (String) element.get("id")).toList()));
                TopElements.Order order = new TopElements.Order(array.descending());
                Map<String, List<String>> byJob = new java.util.TreeMap<>();
                for (String parent : List.of("p1", "p2")) {
                    List<TopElements.Element> elements = children.stream().filter(child -> parent.equals(child.get("parent")))
                            .map(child -> new TopElements.Element((String) child.get("id"),
                                    array.orderColumns().stream().map(column -> Expression.normalize(child.get(column))).toList(), Row.of(child)))
                            .toList();
                    byJob.put(parent, TopElements.best(elements, limit, order).stream().map(TopElements.Element::child).toList());
                }
                if (!byJob.equals(byPostgres)) {
                    differences.add(orderBy + " limit " + limit + ": job " + byJob + ", PostgreSQL " + byPostgres);
                }
            }
        }
        try (Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS array_rows");
        }
        assertThat(differences).isEmpty();
    }

    static Map<String, Object> child(String id, String parent, String text, Long likes, String published, BigDecimal score) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("parent", parent);
        row.put("comment_text", text);
        row.put("likes", likes);
        row.put("published_at", published);
        row.put("score", score);
        return row;
    }
}
