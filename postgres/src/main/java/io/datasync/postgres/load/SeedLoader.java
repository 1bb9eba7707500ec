package io.datasync.postgres.load;

import io.datasync.postgres.csv.CsvRow;
import io.datasync.postgres.csv.MalformedCsvException;
import io.datasync.postgres.csv.SeedCsvReader;
import io.datasync.postgres.csv.SeedTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk-loads the three seed CSVs with COPY, in one transaction: a malformed row anywhere rolls
 * everything back, so a load either completes or leaves the tables as they were (empty).
 */
public final class SeedLoader {
    private static final int FLUSH_CHARS = 1 << 20;
    private static final long PROGRESS_EVERY = 100_000;

    private final Consumer<String> progress;

    public SeedLoader(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Files the loader expects in a data folder, missing ones named in the message. */
    public static void checkDataDir(Path dataDir) {
        List<String> missing = new ArrayList<>();
        for (SeedTable table : SeedTable.values()) {
            if (!Files.isRegularFile(dataDir.resolve(table.fileName()))) {
                missing.add(table.fileName());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("data folder " + dataDir + " lacks " + String.join(", ", missing));
        }
    }

    public LoadReport load(Connection connection, Path dataDir) throws SQLException, IOException, MalformedCsvException {
        checkDataDir(dataDir);
        long started = System.nanoTime();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            requireEmptyTables(connection);
            KeyRegistry keys = new KeyRegistry();
            for (SeedTable table : SeedTable.values()) {
                copyTable(connection, dataDir.resolve(table.fileName()), table, keys);
            }
            connection.commit();
        } catch (SQLException | IOException | MalformedCsvException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
        Map<SeedTable, Long> counts = countRows(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE videos, users, comments");
        }
        return new LoadReport(counts, Duration.ofNanos(System.nanoTime() - started));
    }

    private static void requireEmptyTables(Connection connection) throws SQLException {
        for (SeedTable table : SeedTable.values()) {
            try (Statement statement = connection.createStatement();
                    var rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table.tableName() + ")")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new IllegalStateException("table " + table.tableName() + " already holds rows; loading needs empty tables (make reset)");
                }
            }
        }
    }

    private void copyTable(Connection connection, Path file, SeedTable table, KeyRegistry keys)
            throws SQLException, IOException, MalformedCsvException {
        long started = System.nanoTime();
        long rows = 0;
        try (SeedCsvReader reader = SeedCsvReader.open(file, table)) {
            // Only the file's columns: an optional one it lacks loads as NULL.
            String columns = String.join(", ", reader.columns().stream().map(SeedTable.Column::name).toList());
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table.tableName() + " (" + columns + ") FROM STDIN WITH (FORMAT csv)");
            try {
                StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);
                for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                    var rejection = keys.admit(table, row);
                    if (rejection.isPresent()) {
                        throw new MalformedCsvException(reader.fileName(), row.line(), rejection.get());
                    }
                    CopyEncoder.appendRow(buffer, row.values());
                    if (buffer.length() >= FLUSH_CHARS) {
                        write(copy, buffer);
                    }
                    if (++rows % PROGRESS_EVERY == 0) {
                        progress.accept(String.format("%s: %,d rows… (%,.0f rows/s)", table.tableName(), rows, rows / ((System.nanoTime() - started) / 1e9)));
                    }
                }
                write(copy, buffer);
                copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        }
        progress.accept(String.format("%s: %,d rows copied in %.1f s", table.tableName(), rows, (System.nanoTime() - started) / 1e9));
    }

    private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }

    public static Map<SeedTable, Long> countRows(Connection connection) throws SQLException {
        Map<SeedTable, Long> counts = new EnumMap<>(SeedTable.class);
        for (SeedTable table : SeedTable.values()) {
            try (Statement statement = connection.createStatement();
                    var rs = statement.executeQuery("SELECT count(*) FROM " + table.tableName())) {
                rs.next();
                counts.put(table, rs.getLong(1));
            }
        }
        return counts;
    }
}
