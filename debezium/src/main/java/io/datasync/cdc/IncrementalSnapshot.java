package io.datasync.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debezium's incremental snapshot, asked for and followed: the {@code execute-snapshot} signal
 * sent through the connector's Kafka signal channel, and the notifications its sink channel writes
 * while it reads the tables chunk by chunk between streamed changes.
 */
public final class IncrementalSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String AGGREGATE = "Incremental Snapshot";

    private IncrementalSnapshot() {}

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
                    yield Optional.of(String.format("%s: chunk %,d, ~%,d of %,d rows (%d%%)", notification.collection(), chunk, read, total,
                            total == 0 ? 100 : Math.min(100, read * 100 / total)));
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
