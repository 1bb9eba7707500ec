package io.datasync.cdc;

import io.datasync.postgres.db.ConnectionSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The change-data-capture command line: create the planned topics, register the Debezium
 * connector (idempotent PUT) and wait for it to run, report connector, task and slot state,
 * re-read tables with an incremental snapshot.
 * Kafka is found through KAFKA_BOOTSTRAP (or KAFKA_PORT), Connect through CONNECT_URL (or
 * CONNECT_PORT), PostgreSQL through the PG* variables.
 */
@Command(
        name = "cdc",
        mixinStandardHelpOptions = true,
        description = "Change data capture of data-sync-opensearch: topics, Debezium connector, status.",
        subcommands = {CdcCli.CreateTopics.class, CdcCli.Register.class, CdcCli.Status.class, CdcCli.Delete.class, CdcCli.Tail.class,
                CdcCli.Resnapshot.class, CdcCli.RecoverSlot.class})
public final class CdcCli {
    public static final String DEFAULT_CONNECTOR = "postgres-connector";
    public static final String DEFAULT_SLOT = "dbserver_slot";

    public static void main(String[] args) {
        System.exit(new CommandLine(new CdcCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                    return 1;
                })
                .execute(args));
    }

    public static String kafkaBootstrap(Map<String, String> env) {
        return env.getOrDefault("KAFKA_BOOTSTRAP", "127.0.0.1:" + env.getOrDefault("KAFKA_PORT", "9092"));
    }

    public static Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap(System.getenv()));
        // Must not be below request.timeout.ms (30 s), or the client refuses to start.
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(properties);
    }

    public static String connectUrl(Map<String, String> env) {
        return env.getOrDefault("CONNECT_URL", "http://127.0.0.1:" + env.getOrDefault("CONNECT_PORT", "8083"));
    }

    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "create-topics", description = "Create the planned topics that are missing (idempotent).")
    static final class CreateTopics extends Base {
        @Option(names = "--plan", defaultValue = "debezium/topics.json", description = "Topic plan (default: ${DEFAULT-VALUE}).")
        Path plan;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = admin()) {
                new TopicProvisioner(admin).ensure(TopicPlan.load(plan)).forEach(out()::println);
            }
            return 0;
        }
    }

    @Command(name = "register", description = "Create or update the connector from its JSON file and wait until it runs.")
    static final class Register extends Base {
        @Option(names = "--config", defaultValue = "debezium/postgres-connector.json", description = "Connector configuration (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--name", defaultValue = DEFAULT_CONNECTOR, description = "Connector name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--timeout", defaultValue = "PT2M", description = "How long to wait for RUNNING, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            ConnectClient connect = new ConnectClient(connectUrl(System.getenv()));
            boolean created = connect.putConfig(name, ConnectClient.readConfig(config));
            out().printf("%s connector %s from %s%n", created ? "registered" : "updated", name, config);
            out().flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            Optional<ConnectorStatus> status = Optional.empty();
            while (System.nanoTime() < deadline) {
                status = connect.status(name);
                if (status.isPresent() && status.get().running()) {
                    out().printf("connector %s and its %d task(s) are RUNNING%n", name, status.get().tasks().size());
                    return 0;
                }
                if (status.isPresent() && status.get().failed()) {
                    break;
                }
                Thread.sleep(500);
            }
            spec.commandLine().getErr().println("error: connector " + name + " is not running: " + status.map(Status::describe).orElse("no status"));
            return 1;
        }
    }

    @Command(name = "status", description = "Connector and task state, replication slot and its lag; exit 1 unless RUNNING.")
    static final class Status extends Base {
        @Option(names = "--name", defaultValue = DEFAULT_CONNECTOR, description = "Connector name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--slot", defaultValue = DEFAULT_SLOT, description = "Replication slot (default: ${DEFAULT-VALUE}).")
        String slot;

        @Override
        public Integer call() throws Exception {
            Optional<ConnectorStatus> status = new ConnectClient(connectUrl(System.getenv())).status(name);
            out().println(status.map(Status::describe).orElse("connector " + name + ": not registered (make register-connector)"));
            out().println(topicEvents());
            try (Connection connection = ConnectionSettings.fromEnvironment(System.getenv()).connect()) {
                out().println(SlotStatus.read(connection, slot)
                        .map(s -> String.format("slot %s: %s, lag %,d bytes (confirmed up to %s), %s",
                                s.name(), s.active() ? "active" : "inactive", s.lagBytes(), s.confirmedFlushLsn(), s.walAdvice()))
                        .orElse("slot " + slot + ": does not exist"));
            }
            return status.filter(ConnectorStatus::running).isPresent() ? 0 : 1;
        }

        @Option(names = "--plan", defaultValue = "debezium/topics.json", description = "Topic plan whose table topics are counted (default: ${DEFAULT-VALUE}).")
        Path plan;

        /** Events written to each table topic so far (the sum of its partitions' end offsets). */
        private String topicEvents() throws Exception {
            List<String> names = TopicPlan.load(plan).topics().stream().map(TopicPlan.Topic::name)
                    .filter(name -> name.startsWith("dbserver.public.") && !name.endsWith(".debezium_heartbeat")).toList();
            try (Admin admin = admin()) {
                Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
                admin.describeTopics(names).allTopicNames().get().forEach((name, description) ->
                        description.partitions().forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                Map<String, Long> events = new java.util.TreeMap<>();
                admin.listOffsets(request).all().get().forEach((partition, offset) -> events.merge(partition.topic(), offset.offset(), Long::sum));
                StringBuilder text = new StringBuilder("events written:");
                events.forEach((topic, count) -> text.append(String.format(" %s %,d;", topic, count)));
                return text.substring(0, text.length() - 1);
            }
        }

        static String describe(ConnectorStatus status) {
            StringBuilder text = new StringBuilder("connector " + status.name() + ": " + status.state() + " on " + status.workerId());
            for (ConnectorStatus.Task task : status.tasks()) {
                text.append("\ntask ").append(task.id()).append(": ").append(task.state());
                if (!task.firstTraceLine().isEmpty()) {
                    text.append(" (").append(task.firstTraceLine()).append(')');
                }
            }
            if (status.tasks().isEmpty()) {
                text.append("\nno tasks yet");
            }
            return text.toString();
        }
    }

    @Command(name = "delete", description = "Remove a connector (its replication slot stays; drop it in PostgreSQL if unwanted).")
    static final class Delete extends Base {
        @Option(names = "--name", defaultValue = DEFAULT_CONNECTOR, description = "Connector name (default: ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() throws Exception {
            new ConnectClient(connectUrl(System.getenv())).delete(name);
            out().println("deleted connector " + name);
            return 0;
        }
    }

    @Command(name = "tail", description = "Print a topic's change events as they arrive, until interrupted.")
    static final class Tail extends Base {
        @Option(names = "--topic", defaultValue = "dbserver.public.comments", description = "Topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--from-beginning", description = "Start at the oldest event instead of the next one.")
        boolean fromBeginning;

        @Override
        public Integer call() {
            Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap(System.getenv()));
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "cdc-tail-" + java.util.UUID.randomUUID());
            try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(java.util.List.of(topic));
                out().println("following " + topic + " (Ctrl-C to stop)");
                out().flush();
                while (!Thread.currentThread().isInterrupted()) {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        out().println(TopicTail.describe(record.key(), record.value(), System.currentTimeMillis()));
                    }
                    out().flush();
                }
            }
            return 0;
        }
    }

    @Command(name = "resnapshot", description = "Re-read tables with Debezium's incremental snapshot (execute-snapshot through the Kafka signal"
            + " channel) while changes keep streaming, and follow it until Debezium says it is done; exit 1 unless every table's scan succeeded.")
    static final class Resnapshot extends Base {
        @Option(names = "--config", defaultValue = "debezium/postgres-connector.json", description = "Connector configuration (default: ${DEFAULT-VALUE}).")
        Path config;

        @Option(names = "--tables", split = ",", paramLabel = "TABLE",
                description = "Tables to re-read, e.g. comments,videos (default: every captured table but the heartbeat and signal tables).")
        List<String> tables;

        @Option(names = "--timeout", defaultValue = "PT1H", description = "How long to wait for Debezium's COMPLETED, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            return IncrementalSnapshot.run(ConnectClient.readConfig(config), tables, timeout, kafkaBootstrap(System.getenv()),
                    ConnectionSettings.fromEnvironment(System.getenv()), out(), spec.commandLine().getErr()) ? 0 : 1;
        }
    }

    @Command(name = "recover-slot", description = "After the replication slot was lost: a new slot and a new snapshot into the topics (then make reindex).")
    static final class RecoverSlot extends Base {
        @Option(names = "--name", defaultValue = DEFAULT_CONNECTOR, description = "Connector name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--slot", defaultValue = DEFAULT_SLOT, description = "Replication slot (default: ${DEFAULT-VALUE}).")
        String slot;

        @Option(names = "--force", description = "Start over even though the slot still holds every change.")
        boolean force;

        @Override
        public Integer call() throws Exception {
            ConnectClient connect = new ConnectClient(connectUrl(System.getenv()));
            try (Connection db = ConnectionSettings.fromEnvironment(System.getenv()).connect()) {
                Optional<SlotStatus> status = SlotStatus.read(db, slot);
                out().println(status.map(s -> "slot " + s.name() + ": " + s.walAdvice()).orElse("slot " + slot + ": does not exist"));
                if (status.isPresent() && status.get().keepsChanges() && !force) {
                    spec.commandLine().getErr().println("error: slot " + slot + " still holds every change Debezium has not read: nothing to recover"
                            + " (--force starts over anyway)");
                    return 1;
                }
                ConnectorReset.forget(connect, name, db, slot);
            }
            out().println("connector " + name + " stopped, its offsets forgotten, slot " + slot + " dropped");
            connect.resume(name);
            ConnectorReset.awaitState(connect, name, "RUNNING", Duration.ofMinutes(2));
            out().println("connector " + name + " RUNNING with a new slot: Debezium writes a new snapshot of every row into the topics, and"
                    + " the serving job brings each document up to date from it; rows deleted while the slot was lost still have documents:"
                    + " make reindex builds indexes without them");
            return 0;
        }
    }
}
