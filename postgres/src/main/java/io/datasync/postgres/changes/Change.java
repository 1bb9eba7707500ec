package io.datasync.postgres.changes;

/**
 * One row change of the mix: the SQL that makes it and what the row's document must show once it
 * has gone through the pipeline — {@code column} equal to {@code value}, or, when {@code column}
 * is null, no document at all.
 */
public record Change(Kind kind, String table, String key, String column, String value, String sql) {
    public enum Kind { LIKES, VIDEO_RENAME, USER_RENAME, MOVE, INSERT, DELETE, CASCADE_DELETE }

    public boolean deletes() {
        return column == null;
    }

    /** {@code table:key}, the identity of the row (and of its document). */
    public String row() {
        return table + ":" + key;
    }
}
