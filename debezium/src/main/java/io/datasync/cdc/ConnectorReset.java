package io.datasync.cdc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Makes a Debezium connector start over: stopped, its offsets forgotten and its replication slot
 * dropped, so that when it resumes it creates a new slot and takes a new snapshot. The way back
 * from a lost slot ({@code make recover-slot}), and how the benchmarks restart Debezium from scratch.
 */
public final class ConnectorReset {
    private ConnectorReset() {}

    /** Stops {@code connector}, forgets its offsets and drops {@code slot}; the connector stays STOPPED. */
    public static void forget(ConnectClient connect, String connector, Connection db, String slot) throws Exception {
        connect.stop(connector);
        awaitState(connect, connector, "STOPPED", Duration.ofMinutes(1));
        connect.resetOffsets(connector);
        try (Statement statement = db.createStatement()) {
            // The slot is released once the task has stopped; it can be dropped when no longer active.
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (true) {
                try (ResultSet rs = statement.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot.replace("'", "''") + "'")) {
                    if (!rs.next()) {
                        return;
                    }
                    if (!rs.getBoolean(1)) {
                        statement.execute("SELECT pg_drop_replication_slot('" + slot.replace("'", "''") + "')");
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replication slot " + slot + " is still active a minute after the connector stopped");
                }
                Thread.sleep(500);
            }
        }
    }

    /** Waits until the connector and all its tasks are in {@code state} (RUNNING, STOPPED…). */
    public static void awaitState(ConnectClient connect, String connector, String state, Duration timeout)
            throws IOException, InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var status = connect.status(connector);
            if (status.map(ConnectorStatus::state).filter(state::equals).isPresent()
                    && status.get().tasks().stream().allMatch(task -> task.state().equals(state))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("connector " + connector + " is not " + state + " after " + timeout + ": "
                        + status.map(CdcCli.Status::describe).orElse("not registered"));
            }
            Thread.sleep(250);
        }
    }
}
