package io.datasync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Peak memory of each service process during a benchmark, from {@code /proc}, at (almost) no cost
 * to the run: each JVM's peak resident set ({@code VmHWM}) is reset at the start (writing 5 to
 * {@code clear_refs}) and read at the end. PostgreSQL is many processes sharing its buffers, so
 * its proportional set size ({@code smaps_rollup} PSS, shared pages counted once) is summed over
 * the postmaster and its children every two seconds instead. PIDs come from the stack's PID files.
 */
final class ProcessMemory implements AutoCloseable {
    private static final Map<String, String> JVM_PID_FILES = Map.of(
            "kafka", "kafka/kafka.pid", "connect", "connect/connect.pid", "opensearch", "opensearch/opensearch.pid",
            "flink-jobmanager", "flink/jobmanager.pid", "flink-taskmanager", "flink/taskmanager.pid");

    private final Path varDir;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long postgresPeakKib;

    ProcessMemory(Path varDir) {
        this.varDir = varDir;
        JVM_PID_FILES.values().forEach(file -> pid(file).ifPresent(ProcessMemory::resetPeak));
        thread = new Thread(this::samplePostgres, "postgres-memory");
        thread.setDaemon(true);
        thread.start();
    }

    /** Peak MiB per process since construction. */
    Map<String, Long> peakMib() {
        Map<String, Long> mib = new LinkedHashMap<>();
        mib.put("postgres", postgresPeakKib / 1024);
        new TreeMap<>(JVM_PID_FILES).forEach((name, file) -> pid(file).map(ProcessMemory::peakKib)
                .ifPresent(kib -> mib.put(name, kib / 1024)));
        return mib;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }

    private void samplePostgres() {
        while (running) {
            pid("postgres/data/postmaster.pid").ifPresent(postmaster -> {
                long kib = field(Path.of("/proc", Long.toString(postmaster), "smaps_rollup"), "Pss:");
                kib += ProcessHandle.of(postmaster).stream().flatMap(ProcessHandle::children)
                        .mapToLong(child -> field(Path.of("/proc", Long.toString(child.pid()), "smaps_rollup"), "Pss:")).sum();
                postgresPeakKib = Math.max(postgresPeakKib, kib);
            });
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Starts a process's peak resident set over from its current size (also used per phase by {@link PhaseMeter}). */
    static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException notPermitted) {
            // the peak then covers the process's whole life; still an upper bound
        }
    }

    /** A process's peak resident set ({@code VmHWM}) since its start or the last {@link #resetPeak}, KiB; 0 when it is gone. */
    static long peakKib(long pid) {
        return field(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:");
    }

    /** The PID in a stack PID file (relative to the state folder), if there is one. */
    static Optional<Long> pid(Path varDir, String pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readAllLines(varDir.resolve(pidFile)).get(0).trim()));
        } catch (IOException | RuntimeException notRunning) {
            return Optional.empty();
        }
    }

    private Optional<Long> pid(String pidFile) {
        return pid(varDir, pidFile);
    }

    /** A {@code kB} field of a {@code /proc} file; 0 when unreadable (the process ended). */
    private static long field(Path file, String name) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(line -> line.startsWith(name)).findFirst()
                    .map(line -> Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0])).orElse(0L);
        } catch (IOException | RuntimeException unreadable) {
            return 0;
        }
    }
}
