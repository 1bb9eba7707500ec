package io.datasync.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasync.postgres.db.ConnectionSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Debezium's incremental snapshot, asked for and followed: the {@code execute-snapshot} signal
 * sent through the connector's Kafka signal channel, and the notifications its sink channel writes
 * while it reads the tables chunk by chunk between streamed changes.
 */
public final class IncrementalSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String AGGREGATE = "Incremental Snapshot";

    private IncrementalSnapshot() {}

    /**
     * Asks for an incremental snapshot of {@code tables} (null: every captured data table) and prints
     * its progress to {@code out} until Debezium reports it done; false (with the reason on {@code err})
     * when it aborted, a table's scan failed or {@code timeout} passed.
     */
    public static boolean run(Map<String, String> connector, List<String> tables, Duration timeout, String bootstrap, ConnectionSettings database,
            PrintWriter out, PrintWriter err) throws Exception {
        String signals = required(connector, "signal.kafka.topic");
        String notifications = required(connector, "notification.sink.topic.name");
        List<String> collections = collections(connector, tables);
        int chunkSize = Integer.parseInt(connector.getOrDefault("incremental.snapshot.chunk.size", "1024"));
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection db = database.connect(); Statement statement = db.createStatement()) {
            for (String collection : collections) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + collection)) {
                    rs.next();
                    rows.put(collection, rs.getLong(1));
                }
            }
        }
        Properties common = new Properties();
        common.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(common, new StringDeserializer(), new StringDeserializer());
                KafkaProducer<String, String> producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
            // The notifications' end before the signal: everything after it is about this snapshot.
            List<TopicPartition> partitions = consumer.partitionsFor(notifications).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            producer.send(new ProducerRecord<>(signals, connector.get("topic.prefix"), signal(collections))).get();
            out.printf("asked Debezium for an incremental snapshot of %s (%s rows); streaming goes on meanwhile%n", String.join(", ", collections),
                    rows.values().stream().map(n -> String.format("%,d", n)).collect(Collectors.joining(" / ")));
            out.flush();
            Progress progress = new Progress(rows, chunkSize);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    Optional<Notification> notification = Notification.parse(record.value());
                    if (notification.isEmpty()) {
                        continue;
                    }
                    progress.apply(notification.get()).ifPresent(out::println);
                    out.flush();
                    if (notification.get().finished()) {
                        List<String> failed = progress.failed();
                        if (!"COMPLETED".equals(notification.get().type()) || !failed.isEmpty()) {
                            err.println("error: the incremental snapshot did not complete" + (failed.isEmpty() ? "" : ": " + String.join(", ", failed))
                                    + " (see Connect's log)");
                            return false;
                        }
                        return true;
                    }
                }
            }
        }
        err.println("error: Debezium did not report the incremental snapshot COMPLETED within " + timeout + " (is the connector running? make status-cdc)");
        return false;
    }

    private static String required(Map<String, String> connector, String key) {
        String value = connector.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the connector configuration has no " + key + ": signalling is not configured");
        }
        return value;
    }

    /** The signal's value (its key must be the connector's topic.prefix): an incremental snapshot of {@code collections} (schema.table). */
    static String signal(List<String> collections) {
        ObjectNode value = JSON.createObjectNode().put("type", "execute-snapshot");
        ObjectNode data = value.putObject("data");
        collections.forEach(data.putArray("data-collections")::add);
        data.put("type", "INCREMENTAL");
        return value.toString();
    }

    /**
     * The collections (schema.table) to re-read: {@code tables} by name (a bare name gets the schema
     * of the captured tables), or every captured table but Debezium's heartbeat and signal tables.
     */
    static List<String> collections(Map<String, String> connector, List<String> tables) {
        List<String> captured = Arrays.stream(connector.getOrDefault("table.include.list", "").split(","))
                .map(String::strip).filter(t -> !t.isEmpty()).toList();
        String signalTable = connector.getOrDefault("signal.data.collection", "");
        List<String> data = captured.stream().filter(t -> !t.equals(signalTable) && !t.endsWith(".debezium_heartbeat")).toList();
        if (tables == null || tables.isEmpty()) {
            return data;
        }
        List<String> chosen = new ArrayList<>();
        for (String table : tables) {
            String name = table.strip();
            Optional<String> match = data.stream().filter(t -> t.equals(name) || t.endsWith("." + name)).findFirst();
            chosen.add(match.orElseThrow(() -> new IllegalArgumentException("table " + name + " is not captured by the connector (table.include.list: "
                    + String.join(", ", data) + ")")));
        }
        return chosen;
    }

    /** One notification of the incremental snapshot; other notifications (the initial snapshot's) are empty. */
    record Notification(String type, String collection, long rowsScanned, String status) {
        static Optional<Notification> parse(String value) throws IOException {
            JsonNode node = value == null ? null : JSON.readTree(value);
            if (node == null || !AGGREGATE.equals(node.path("aggregate_type").asText())) {
                return Optional.empty();
            }
            JsonNode data = node.path("additional_data");
            String collection = data.path("current_collection_in_progress").asText(data.path("scanned_collection").asText(data.path("data_collections").asText("")));
            return Optional.of(new Notification(node.path("type").asText(), collection, data.path("total_rows_scanned").asLong(-1), data.path("status").asText("")));
        }

        boolean finished() {
            return "COMPLETED".equals(type) || "ABORTED".equals(type);
        }
    }

    /** What has been read so far, per table: chunks seen (of {@code chunkSize} rows) until the table's scan completes. */
    static final class Progress {
        private final Map<String, Long> rows;
        private final int chunkSize;
        private final Map<String, Long> chunks = new LinkedHashMap<>();
        private final Map<String, String> done = new LinkedHashMap<>();
        private final Map<String, Long> shownTenths = new LinkedHashMap<>();

        /** {@code rows}: the row count of each table when the snapshot was asked for. */
        Progress(Map<String, Long> rows, int chunkSize) {
            this.rows = rows;
            this.chunkSize = chunkSize;
        }

        /** A line for the user, or empty for a notification that says nothing new. */
        Optional<String> apply(Notification notification) {
            return switch (notification.type()) {
                case "STARTED" -> Optional.of("incremental snapshot started: " + notification.collection());
                case "IN_PROGRESS" -> {
                    long chunk = chunks.merge(notification.collection(), 1L, Long::sum);
                    long total = rows.getOrDefault(notification.collection(), 0L);
                    long read = Math.min(chunk * chunkSize, total); // the last chunk is partial
                    long percent = total == 0 ? 100 : read * 100 / total;
                    // A line per tenth of the table, not per chunk (a seed-size table has ~140 chunks).
                    if (chunk > 1 && percent / 10 == shownTenths.getOrDefault(notification.collection(), -1L)) {
                        yield Optional.empty();
                    }
                    shownTenths.put(notification.collection(), percent / 10);
                    yield Optional.of(String.format("%s: chunk %,d, ~%,d of %,d rows (%d%%)", notification.collection(), chunk, read, total, percent));
                }
                case "TABLE_SCAN_COMPLETED" -> {
                    done.put(notification.collection(), notification.status());
                    yield Optional.of(String.format("%s: scan %s, %,d rows read", notification.collection(), notification.status(),
                            notification.rowsScanned()));
                }
                case "COMPLETED" -> Optional.of("incremental snapshot completed");
                case "ABORTED" -> Optional.of("incremental snapshot ABORTED");
                case "PAUSED", "RESUMED" -> Optional.of("incremental snapshot " + notification.type().toLowerCase());
                default -> Optional.empty();
            };
        }

        /** Tables whose scan did not succeed (a table with no rows is fine). */
        List<String> failed() {
            return done.entrySet().stream().filter(e -> !e.getValue().equals("SUCCEEDED") && !e.getValue().equals("EMPTY"))
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        }
    }
}
