package io.datasync.postgres.changes;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Applies a {@link ChangeMix} at a fixed rate through JDBC, each change its own transaction
 * (autocommit), from a few writer connections so that commit latency does not cap the rate. The
 * schedule is fixed: change i is due at {@code start + i / rate}; a writer that falls behind
 * goes on without sleeping, and {@link Stats#statementsPerSecond()} shows the rate reached.
 */
public final class ChangeLoad {
    /** A change and when its commit returned ({@link System#nanoTime()}). */
    public record Applied(Change change, long committedNanos) {}

    /** Statements run and rows actually changed (a change to a row that cascaded away changes nothing). */
    public record Stats(long statements, long applied, double seconds) {
        /** The rate the schedule reached: statements per second, whether or not each found its row. */
        public double statementsPerSecond() {
            return seconds == 0 ? 0 : statements / seconds;
        }
    }

    private final Callable<Connection> connections;
    private final ChangeMix mix;
    private final int writers;

    public ChangeLoad(Callable<Connection> connections, ChangeMix mix, int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be at least 1");
        }
        this.connections = connections;
        this.mix = mix;
        this.writers = writers;
    }

    /**
     * Runs for {@code duration} at {@code ratePerSecond}. Every {@code watchEvery}-th change (0:
     * none) is claimed in the mix and handed to {@code watched} after its commit; the watcher
     * releases it ({@link ChangeMix#release}) once it has seen its document.
     */
    public Stats run(double ratePerSecond, Duration duration, int watchEvery, Consumer<Applied> watched) throws Exception {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("the rate must be positive");
        }
        AtomicLong next = new AtomicLong();
        AtomicLong statements = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        double nanosPerChange = 1e9 / ratePerSecond;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Thread thread = new Thread(() -> {
                try (Connection db = connections.call(); Statement statement = db.createStatement()) {
                    db.setAutoCommit(true);
                    while (failure.get() == null) {
                        long i = next.getAndIncrement();
                        long due = start + (long) (i * nanosPerChange);
                        if (due >= end) {
                            return;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        boolean watch = watchEvery > 0 && i % watchEvery == 0;
                        Change change = mix.next(watch);
                        int rows = execute(statement, change);
                        long committed = System.nanoTime();
                        statements.incrementAndGet();
                        if (rows > 0) {
                            applied.incrementAndGet();
                        }
                        if (watch) {
                            if (rows > 0) {
                                watched.accept(new Applied(change, committed));
                            } else {
                                mix.release(change);
                            }
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "change-load-" + w);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new SQLException("the change load failed: " + failure.get().getMessage(), failure.get());
        }
        return new Stats(statements.get(), applied.get(), (System.nanoTime() - start) / 1e9);
    }

    /** PostgreSQL's foreign_key_violation. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /**
     * Rows changed. A new or moved comment whose video another writer deleted in the meantime (the
     * mix drew both before either ran) violates the foreign key: like a change to a row that
     * cascaded away, it changes nothing, and the load goes on.
     */
    private static int execute(Statement statement, Change change) throws SQLException {
        try {
            return statement.executeUpdate(change.sql());
        } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }
}
