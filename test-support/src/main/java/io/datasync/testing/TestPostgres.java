package io.datasync.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * A real PostgreSQL server for integration tests, started by {@code stack/postgres.sh} (the same
 * script as {@code make start}) on a free loopback port, with a state folder of its own under
 * {@code var/it/}, so tests never touch the developer's database.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String DATABASE = "app";
    public static final String USER = "app";
    public static final String PASSWORD = "app";

    private static TestPostgres shared;

    private final Path root;
    private final Path varDir;
    private final int port;

    private TestPostgres(Path root, Path varDir, int port) {
        this.root = root;
        this.varDir = varDir;
        this.port = port;
    }

    /** One server for the whole test JVM, stopped and removed when the JVM exits. */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            shared = start("shared");
            TestPostgres server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return shared;
    }

    /** A server of the caller's own; close it when done. */
    public static TestPostgres start(String name) {
        Path root = ProjectRoot.get();
        Path varDir = root.resolve("var/it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
        TestPostgres server = new TestPostgres(root, varDir, freePort());
        server.script("start").orThrow();
        return server;
    }

    /** The environment under which the stack scripts and make targets address this server. */
    public Map<String, String> environment() {
        return Map.of(
                "VAR_DIR", varDir.toString(),
                "PGHOST", "127.0.0.1",
                "PGPORT", Integer.toString(port),
                "PGDATABASE", DATABASE,
                "PGUSER", USER,
                "PGPASSWORD", PASSWORD);
    }

    public Shell.Result script(String command) {
        return Shell.run(root, environment(), 180, "bash", "stack/postgres.sh", command);
    }

    public int port() {
        return port;
    }

    public Path varDir() {
        return varDir;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    @Override
    public void close() {
        script("stop");
        script("wipe");
        Shell.run(root, Map.of(), 60, "rm", "-rf", varDir.toString());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
