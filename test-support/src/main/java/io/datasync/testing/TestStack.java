package io.datasync.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Real services for integration tests, started by the same {@code stack/*.sh} scripts as the
 * make targets, on free loopback ports and in a state folder of their own under {@code var/it/},
 * so tests never touch the developer's stack.
 */
public final class TestStack implements AutoCloseable {
    public static final String DATABASE = "app";
    public static final String USER = "app";
    public static final String PASSWORD = "app";
    private static final String ADMIN_PASSWORD = "admin-of-the-test-stack";

    /** A service of the stack and the script that runs it. */
    public enum Service {
        POSTGRES("stack/postgres.sh"),
        KAFKA("stack/kafka.sh"),
        CONNECT("stack/connect.sh"),
        OPENSEARCH("stack/opensearch.sh"),
        FLINK("stack/flink.sh");

        final String script;

        Service(String script) {
            this.script = script;
        }
    }

    private static TestStack shared;

    private final Path root;
    private final Path varDir;
    private final Map<String, String> environment = new HashMap<>();
    private final java.util.Set<Service> running = java.util.EnumSet.noneOf(Service.class);

    private TestStack(String name) {
        this.root = ProjectRoot.get();
        this.varDir = root.resolve("var/it/" + name + "-" + UUID.randomUUID().toString().substring(0, 8));
        environment.put("VAR_DIR", varDir.toString());
        environment.put("PGHOST", "127.0.0.1");
        environment.put("PGPORT", Integer.toString(freePort()));
        environment.put("PGDATABASE", DATABASE);
        environment.put("PGUSER", USER);
        environment.put("PGPASSWORD", PASSWORD);
        // Tests administer the server too (CHECKPOINT, ALTER SYSTEM: e.g. forcing a replication slot to be lost).
        environment.put("PGADMIN_PASSWORD", ADMIN_PASSWORD);
        environment.put("KAFKA_PORT", Integer.toString(freePort()));
        environment.put("KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
        environment.put("CONNECT_PORT", Integer.toString(freePort()));
        environment.put("OPENSEARCH_PORT", Integer.toString(freePort()));
        environment.put("OPENSEARCH_TRANSPORT_PORT", Integer.toString(freePort()));
        environment.put("WEB_UI_PORT", Integer.toString(freePort()));
        environment.put("FLINK_RPC_PORT", Integer.toString(freePort()));
        environment.put("STATUS_PORT", Integer.toString(freePort()));
        environment.put("PUSHGATEWAY_PORT", Integer.toString(freePort()));
        environment.put("PROMETHEUS_PORT", Integer.toString(freePort()));
        environment.put("KAFKA_METRICS_PORT", Integer.toString(freePort()));
        environment.put("CONNECT_METRICS_PORT", Integer.toString(freePort()));
        environment.put("SAVEPOINT_DIR", varDir.resolve("savepoints").toString());
    }

    /** A stack of this name, nothing started yet; close it when done. */
    public static TestStack create(String name) {
        return new TestStack(name);
    }

    /** One stack for the whole test JVM, closed when the JVM exits; starts what is asked. */
    public static synchronized TestStack shared(Service... services) {
        if (shared == null) {
            shared = create("shared");
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        shared.start(services);
        return shared;
    }

    /** Starts the services not started through this object yet. */
    public synchronized TestStack start(Service... services) {
        for (Service service : services) {
            if (!running.contains(service)) {
                script(service, "start").orThrow();
                running.add(service);
            }
        }
        return this;
    }

    public synchronized void stop(Service service) {
        script(service, "stop").orThrow();
        running.remove(service);
    }

    /** SIGKILL, as a crash would. */
    public synchronized void crash(Service service) {
        script(service, "crash").orThrow();
        running.remove(service);
    }

    public Shell.Result script(Service service, String command) {
        return Shell.run(root, environment, 300, "bash", service.script, command);
    }

    /** Runs a make target against this stack (within 10 minutes). */
    public Shell.Result make(String... args) {
        return make(java.time.Duration.ofMinutes(10), args);
    }

    public Shell.Result make(java.time.Duration timeout, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "make";
        command[1] = "--no-print-directory";
        System.arraycopy(args, 0, command, 2, args.length);
        return Shell.run(root, environment, timeout.toSeconds(), command);
    }

    /** One more variable for the scripts and make targets of this stack (e.g. credentials, JOB_ARGS); before anything starts. */
    public TestStack with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The environment under which the stack scripts and make targets address these services. */
    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    public Path root() {
        return root;
    }

    public int postgresPort() {
        return Integer.parseInt(environment.get("PGPORT"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/" + DATABASE;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, environment.get("PGPASSWORD"));
    }

    /** As the superuser "postgres", for administration (CHECKPOINT, ALTER SYSTEM, pg_switch_wal()). */
    public Connection connectAsAdmin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", ADMIN_PASSWORD);
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + environment.get("KAFKA_PORT");
    }

    public String connectUrl() {
        return "http://127.0.0.1:" + environment.get("CONNECT_PORT");
    }

    public String openSearchUrl() {
        return "http://127.0.0.1:" + environment.get("OPENSEARCH_PORT");
    }

    /** The Flink cluster's REST API and web UI. */
    public String flinkUrl() {
        return "http://127.0.0.1:" + environment.get("WEB_UI_PORT");
    }

    /** The status page, /api/status and /metrics (stack/status-page.sh, started by make up). */
    public String statusPageUrl() {
        return "http://127.0.0.1:" + environment.get("STATUS_PORT");
    }

    /** Where a service's metrics are in Prometheus' text format: PUSHGATEWAY_PORT (Flink's), KAFKA_METRICS_PORT, CONNECT_METRICS_PORT, PROMETHEUS_PORT. */
    public String metricsUrl(String portVariable) {
        return "http://127.0.0.1:" + environment.get(portVariable) + "/metrics";
    }

    /** Stops every service (those never started answer "not running") and removes the state. */
    @Override
    public void close() {
        // make up starts the monitoring too: the status page, Prometheus and the Pushgateway.
        Shell.run(root, environment, 60, "stack/prometheus.sh", "stop");
        Shell.run(root, environment, 60, "stack/status-page.sh", "stop");
        script(Service.FLINK, "stop");
        Shell.run(root, environment, 60, "stack/pushgateway.sh", "stop");
        script(Service.OPENSEARCH, "stop");
        script(Service.CONNECT, "stop");
        script(Service.KAFKA, "stop");
        script(Service.POSTGRES, "stop");
        for (Service service : Service.values()) {
            script(service, "wipe");
        }
        Shell.run(root, Map.of(), 60, "rm", "-rf", varDir.toString());
    }

    /**
     * A loopback port free now, below Linux's ephemeral range (32768-60999): a port taken from that
     * range can be given meanwhile to any process's outgoing connection (scrapes, pushes, clients),
     * and the server meant for it then fails to bind. Never the same port twice in one JVM.
     */
    public static synchronized int freePort() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = 20_000 + PORTS.nextInt(12_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("no free loopback port between 20000 and 32000");
    }

    private static final java.util.Random PORTS = new java.util.Random();
    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();
}
