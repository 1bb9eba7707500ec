package io.datasync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stop-the-world pauses of a JVM, from its unified GC log ({@code -Xlog:gc:file=…:time,uptimemillis}).
 * The JVM's own log is read because Flink's metrics and JMX only give each collector's total time
 * and count, not the longest single pause, which is what a user sees as a latency spike. G1,
 * Parallel and Serial log one line per pause at {@code gc} info level, e.g.
 * {@code [2026-11-30T23:29:28.840+0000][417ms] GC(4) Pause Young (Concurrent Start) (G1 Humongous Allocation) 72M->28M(128M) 14.027ms};
 * concurrent phases ("Concurrent Mark Cycle 17.833ms") run beside the application and are not pauses.
 */
final class GcLog {
    /** One pause: when it ended (the line's {@code time} decoration), what it was, and how long. */
    record Pause(Instant end, String kind, double millis) {}

    /** The pauses of one process within one phase. */
    record Pauses(int count, double totalMillis, double longestMillis, String longestKind) {
        static Pauses within(List<Pause> pauses, Instant from, Instant to) {
            List<Pause> inside = pauses.stream().filter(p -> !p.end().isBefore(from) && !p.end().isAfter(to)).toList();
            Pause longest = inside.stream().max(java.util.Comparator.comparingDouble(Pause::millis)).orElse(null);
            return new Pauses(inside.size(), inside.stream().mapToDouble(Pause::millis).sum(), longest == null ? 0 : longest.millis(),
                    longest == null ? null : longest.kind());
        }
    }

    private static final Pattern TIME = Pattern.compile("\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4})]");
    /** "GC(n) Pause <kind> [<before>-><after>(<committed>)] <n.nnn>ms" at the end of the line. */
    private static final Pattern PAUSE = Pattern.compile(
            "GC\\(\\d+\\) (Pause .+?)(?: \\d+[KMGT]?->\\d+[KMGT]?\\(\\d+[KMGT]?\\))? ([0-9]+(?:\\.[0-9]+)?)ms\\s*$");
    private static final DateTimeFormatter DECORATION = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private GcLog() {}

    /** The pause a log line reports, if it reports one and carries a {@code time} or {@code utctime} decoration. */
    static Optional<Pause> parse(String line) {
        Matcher pause = PAUSE.matcher(line);
        Matcher time = TIME.matcher(line);
        if (!pause.find() || !time.find()) {
            return Optional.empty();
        }
        Instant end = OffsetDateTime.parse(time.group(1), DECORATION).toInstant();
        return Optional.of(new Pause(end, pause.group(1), Double.parseDouble(pause.group(2))));
    }

    /**
     * Every pause in a log and in its rotated files ({@code <name>.0}, {@code .1}…: the JVM rotates by size
     * and at start); empty when there is no log (the process was started without GC logging).
     */
    static List<Pause> read(Path log) {
        List<Pause> pauses = new ArrayList<>();
        Path dir = log.toAbsolutePath().getParent();
        String name = log.getFileName().toString();
        if (!Files.isDirectory(dir)) {
            return pauses;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(Pattern.quote(name) + "(\\.\\d+)?")).toList()) {
                try (Stream<String> lines = Files.lines(file)) {
                    lines.map(GcLog::parse).flatMap(Optional::stream).forEach(pauses::add);
                }
            }
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            // a log rotated away while it was read: the pauses read so far
        }
        return pauses;
    }

    /** Whether the process has a GC log at all (so that "no pauses" and "not logged" read differently). */
    static boolean exists(Path log) {
        return Files.exists(log);
    }
}
