package io.datasync.job.decode;

import java.util.Map;

/**
 * One decoded change of one row: the table, the row's key (its primary key value, as the document
 * id), what happened, the row after the change ({@code null} for a delete or truncate), whether
 * Debezium read it in a snapshot (op {@code r}) rather than from the WAL, and where it came from. {@code row} values are String, Long, Double, BigDecimal, Boolean or null;
 * timestamps are ISO-8601 strings. An unchanged TOASTed column holds {@link #UNAVAILABLE}.
 */
public record RowChange(
        String table,
        String key,
        Op op,
        Map<String, Object> row,
        long lsn,
        long commitMillis,
        boolean snapshot,
        Origin origin) {

    /** Debezium's placeholder for an unchanged TOASTed value the WAL does not carry. */
    public static final String UNAVAILABLE = "__debezium_unavailable_value";

    public enum Op {
        /** Snapshot read, insert or update: {@code row} is the whole new row. */
        UPSERT,
        DELETE,
        /** The whole table was emptied; {@code key} is null. */
        TRUNCATE
    }

    /** The Kafka record a change came from, for dead letters and logs. */
    public record Origin(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "/" + partition + "@" + offset;
        }
    }

    /** Follows a change from row to document and into logs and dead letters: table, key, source LSN. */
    public String correlationId() {
        return table + ":" + key + "@" + lsn;
    }
}
