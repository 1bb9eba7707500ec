package io.datasync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A replication slot as PostgreSQL sees it. {@code lagBytes} is the WAL between the server's
 * current position and what the consumer (Debezium) confirmed: what would be re-read, and what
 * the server must retain (bounded by max_slot_wal_keep_size).
 */
public record SlotStatus(String name, boolean active, String confirmedFlushLsn, long lagBytes, String walStatus) {

    public static Optional<SlotStatus> read(Connection connection, String slotName) throws SQLException {
        String sql = "SELECT slot_name, active, confirmed_flush_lsn::text,"
                + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint, coalesce(wal_status, '')"
                + " FROM pg_replication_slots WHERE slot_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, slotName);
            try (var rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SlotStatus(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
            }
        }
    }
}
