package io.datasync.postgres.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Installs and removes the data model, from the same SQL files docker-compose mounts. */
public final class Schema {
    /** In order; the same files docker-compose runs from /docker-entrypoint-initdb.d. */
    static final List<String> SCHEMA_SCRIPTS = List.of("sql/01-schema.sql", "sql/02-cdc-heartbeat.sql", "sql/03-debezium-signal.sql");

    private Schema() {}

    /** Creates whatever of the schema is missing; safe to run on an installed schema. */
    public static void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String script : SCHEMA_SCRIPTS) {
                statement.execute(script(script));
            }
        }
    }

    /** Drops the three tables, the heartbeat and signal tables and the trigger function, data included. */
    public static void drop(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS comments, users, videos, debezium_heartbeat, debezium_signal CASCADE; DROP FUNCTION IF EXISTS set_updated_at()");
        }
    }

    public static boolean isInstalled(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var rs = statement.executeQuery(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('videos', 'users', 'comments')")) {
            rs.next();
            return rs.getInt(1) == 3;
        }
    }

    static String script(String resource) {
        try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
