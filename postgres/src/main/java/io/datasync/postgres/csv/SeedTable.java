package io.datasync.postgres.csv;

import java.util.List;
import java.util.Optional;

/**
 * The three tables of the seed data set and the shape of their CSV files. Order matters: parents
 * before children, so loading in declaration order satisfies the foreign keys.
 */
public enum SeedTable {
    VIDEOS(
            "videos",
            List.of(
                    Column.key("video_id"),
                    Column.requiredText("title"),
                    Column.text("category"))),
    USERS(
            "users",
            List.of(Column.key("channel_id"), Column.requiredText("channel_name"))),
    COMMENTS(
            "comments",
            List.of(
                    Column.key("comment_id"),
                    Column.reference("video_id", "videos"),
                    Column.reference("channel_id", "users"),
                    Column.requiredText("comment_text"),
                    Column.of("likes", ColumnType.INTEGER),
                    Column.of("replies", ColumnType.INTEGER),
                    Column.of("published_at", ColumnType.TIMESTAMP),
                    Column.text("sentiment_label"),
                    Column.text("country_code"),
                    Column.optional("deleted_at", ColumnType.TIMESTAMP)));

    private final String tableName;
    private final List<Column> columns;

    SeedTable(String tableName, List<Column> columns) {
        this.tableName = tableName;
        this.columns = columns;
    }

    public String tableName() {
        return tableName;
    }

    public String fileName() {
        return tableName + ".csv";
    }

    /**
     * The CSV columns, in file order; they are the table's columns minus the audit timestamps. The
     * optional ones come last: a file written before they existed leaves them out and loads them as NULL.
     */
    public List<Column> columns() {
        return columns;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** The columns every file of this table must have: all but the trailing optional ones. */
    public List<Column> requiredColumns() {
        return columns.stream().filter(column -> !column.optional()).toList();
    }

    public Column key() {
        return columns.get(0);
    }

    public static Optional<SeedTable> byTableName(String name) {
        for (SeedTable table : values()) {
            if (table.tableName.equals(name)) {
                return Optional.of(table);
            }
        }
        return Optional.empty();
    }

    public enum ColumnType {
        TEXT,
        INTEGER,
        TIMESTAMP
    }

    /** How an empty CSV field is taken. */
    public enum Presence {
        /** Must not be empty: primary and foreign keys. */
        NON_EMPTY,
        /** Never NULL: an empty field is the empty string. */
        NOT_NULL,
        /** An empty field is NULL. */
        NULLABLE
    }

    /**
     * One CSV column; {@code references} names the parent table whose key this column must
     * match, when it is a foreign key; an {@code optional} column may be missing from a file.
     */
    public record Column(String name, ColumnType type, Presence presence, Optional<String> references, boolean optional) {
        static Column key(String name) {
            return new Column(name, ColumnType.TEXT, Presence.NON_EMPTY, Optional.empty(), false);
        }

        static Column requiredText(String name) {
            return new Column(name, ColumnType.TEXT, Presence.NOT_NULL, Optional.empty(), false);
        }

        static Column text(String name) {
            return new Column(name, ColumnType.TEXT, Presence.NULLABLE, Optional.empty(), false);
        }

        static Column of(String name, ColumnType type) {
            return new Column(name, type, Presence.NULLABLE, Optional.empty(), false);
        }

        static Column optional(String name, ColumnType type) {
            return new Column(name, type, Presence.NULLABLE, Optional.empty(), true);
        }

        static Column reference(String name, String parentTable) {
            return new Column(name, ColumnType.TEXT, Presence.NON_EMPTY, Optional.of(parentTable), false);
        }
    }
}
