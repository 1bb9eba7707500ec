package io.datasync.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the services' JSON logs said during a fault: warnings, errors and the recovery milestones
 * (job state switches, restores, restarts), from a time window, one line per distinct message.
 */
public final class LogExcerpts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Milestones worth showing even at INFO. */
    private static final Pattern MILESTONE = Pattern.compile(
            "switched from state (RUNNING|RESTARTING|FAILING|CREATED) to|Restoring job|restored from|Recovering|Starting job|Connector .* (started|failed)|"
                    + "Kafka Server started|stopped|started \\[|Received resource requirements|Registering TaskManager");
    /** Start-up boilerplate every restarted process logs: not about the fault. */
    private static final Pattern NOISE = Pattern.compile(
            "plugins directory|No tokens obtained|Tokens update task|Name collision|exceeded the 80 characters|Could not load CLI class|deprecated configuration key");
    private static final int MESSAGE_CHARS = 220;

    private LogExcerpts() {}

    /** The excerpt of every {@code *.json} log under {@code logDirs} between {@code from} and {@code to}, at most {@code max} lines. */
    public static List<String> between(List<Path> logDirs, Instant from, Instant to, int max) {
        List<String> lines = new ArrayList<>();
        for (Path dir : logDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    try (Stream<String> text = Files.lines(file)) {
                        text.forEach(lines::add);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                lines.add("{\"message\": \"cannot read the logs in " + dir + ": " + e.getMessage().replace('"', '\'') + "\"}");
            }
        }
        return select(lines, from, to, max);
    }

    /** Pure: the lines in the window that are warnings, errors or milestones, distinct by message (digits masked), in time order. */
    static List<String> select(List<String> jsonLines, Instant from, Instant to, int max) {
        record Line(Instant at, String text) {}
        List<Line> picked = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : jsonLines) {
            JsonNode line;
            try {
                line = JSON.readTree(raw);
            } catch (IOException e) {
                continue; // a line cut by a kill -9
            }
            Instant at = instant(line.path("@timestamp").asText(line.path("timestamp").asText("")));
            if (at == null || at.isBefore(from) || at.isAfter(to)) {
                continue;
            }
            String level = line.path("log.level").asText(line.path("level").asText(""));
            String message = line.path("message").asText("");
            boolean worth = (level.equals("WARN") || level.equals("ERROR") || MILESTONE.matcher(message).find()) && !NOISE.matcher(message).find();
            if (!worth || !seen.add(message.replaceAll("[0-9a-f]{8,}|\\d+", "#"))) {
                continue;
            }
            String service = line.path("service.name").asText(line.has("cluster.name") ? "opensearch" : "?");
            String text = message.length() > MESSAGE_CHARS ? message.substring(0, MESSAGE_CHARS) + "…" : message;
            picked.add(new Line(at, at + " " + service + " " + level + " " + text.replace('\n', ' ')));
        }
        return picked.stream().sorted(java.util.Comparator.comparing(Line::at)).limit(max).map(Line::text).toList();
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                // OpenSearch writes "2026-11-25T21:46:23,604Z".
                return Instant.parse(text.replace(',', '.'));
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
