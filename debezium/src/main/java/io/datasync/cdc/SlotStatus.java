package io.datasync.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A replication slot as PostgreSQL sees it. {@code lagBytes} is the WAL between the server's
 * current position and what the consumer (Debezium) confirmed: what would be re-read, and what
 * the server must retain (bounded by max_slot_wal_keep_size). {@code walStatus} is PostgreSQL's
 * reserved / extended / unreserved / lost; {@code safeWalBytes} how much more WAL may be written
 * before the slot is lost (null when max_slot_wal_keep_size is unlimited).
 */
public record SlotStatus(String name, boolean active, String confirmedFlushLsn, long lagBytes, String walStatus, Long safeWalBytes) {

    /** Whether the slot still holds every change Debezium has not confirmed: lost once it is "lost", doomed while "unreserved". */
    public boolean keepsChanges() {
        return !"lost".equals(walStatus) && !"unreserved".equals(walStatus);
    }

    /** The WAL state in words, with what to do when the slot is losing or has lost changes. */
    public String walAdvice() {
        return switch (walStatus) {
            case "reserved" -> "WAL reserved" + (safeWalBytes == null ? "" : String.format(" (%,d MB to spare)", safeWalBytes >> 20));
            case "extended" -> "WAL extended beyond max_wal_size, still kept" + (safeWalBytes == null ? "" : String.format(" (%,d MB to spare)", safeWalBytes >> 20));
            case "unreserved" -> "WAL UNRESERVED: past max_slot_wal_keep_size, the slot is lost at the next checkpoint unless Debezium catches up"
                    + " (is Connect running?)";
            case "lost" -> "WAL LOST: changes are gone; recover with make recover-slot, then make reindex (README, \"Replication slot lost\")";
            default -> "WAL " + walStatus;
        };
    }

    public static Optional<SlotStatus> read(Connection connection, String slotName) throws SQLException {
        String sql = "SELECT slot_name, active, confirmed_flush_lsn::text,"
                + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::bigint, coalesce(wal_status, ''), safe_wal_size"
                + " FROM pg_replication_slots WHERE slot_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, slotName);
            try (var rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long safe = rs.getLong(6);
                return Optional.of(new SlotStatus(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        rs.wasNull() ? null : safe));
            }
        }
    }
}
