package io.datasync.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debezium's snapshot and streaming metrics as Kafka Connect's metrics endpoint serves them (the
 * Prometheus JMX exporter's agent, rules in monitoring/jmx-connect.yml): samples named
 * {@code debezium_metrics_<MBean attribute>} with a {@code context} label, snapshot or streaming.
 */
final class DebeziumMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^debezium_metrics_(\\w+)\\{([^}]*)}\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern CONTEXT = Pattern.compile("context=\"(\\w+)\"");

    private DebeziumMetrics() {}

    /** Null when the text holds no Debezium metric (the connector has not started its task yet). */
    static PipelineSnapshot.Debezium parse(String text) {
        boolean any = false;
        boolean snapshotRunning = false;
        boolean snapshotCompleted = false;
        boolean connected = false;
        long rowsScanned = 0;
        Integer totalTables = null;
        Integer remainingTables = null;
        Double millisBehind = null;
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            any = true;
            Matcher context = CONTEXT.matcher(sample.group(2));
            String phase = context.find() ? context.group(1) : "";
            double value = Double.parseDouble(sample.group(3));
            switch (phase + "/" + sample.group(1)) {
                case "snapshot/SnapshotRunning" -> snapshotRunning = value > 0;
                case "snapshot/SnapshotCompleted" -> snapshotCompleted = value > 0;
                case "snapshot/RowsScanned" -> rowsScanned += (long) value;
                case "snapshot/TotalTableCount" -> totalTables = (int) value;
                case "snapshot/RemainingTableCount" -> remainingTables = (int) value;
                case "streaming/Connected" -> connected = value > 0;
                // -1 until the first event is streamed.
                case "streaming/MilliSecondsBehindSource" -> millisBehind = value < 0 ? null : value;
                default -> { }
            }
        }
        return any ? new PipelineSnapshot.Debezium(snapshotRunning, snapshotCompleted, rowsScanned, totalTables, remainingTables, connected, millisBehind)
                : null;
    }
}
