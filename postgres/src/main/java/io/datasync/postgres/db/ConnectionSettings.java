package io.datasync.postgres.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where the database is, read from libpq's environment variables (PGHOST, PGPORT, PGDATABASE,
 * PGUSER, PGPASSWORD) with the stack's defaults. The password never appears in {@link #toString()}.
 */
public record ConnectionSettings(String host, int port, String database, String user, String password) {
    public static ConnectionSettings fromEnvironment(Map<String, String> env) {
        String port = env.getOrDefault("PGPORT", "5432");
        try {
            return new ConnectionSettings(
                    env.getOrDefault("PGHOST", "127.0.0.1"),
                    Integer.parseInt(port),
                    env.getOrDefault("PGDATABASE", "app"),
                    env.getOrDefault("PGUSER", "app"),
                    env.getOrDefault("PGPASSWORD", "app"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PGPORT must be a port number, not '" + port + "'");
        }
    }

    /** The same database on another port (the tools' --pg-port). */
    public ConnectionSettings withPort(int otherPort) {
        return new ConnectionSettings(host, otherPort, database, user, password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "datasource-cli");
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
