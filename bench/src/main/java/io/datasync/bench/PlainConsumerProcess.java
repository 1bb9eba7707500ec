package io.datasync.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link PlainConsumer} in its own JVM, started from the benchmark's own class path with a GC
 * log of its own. A thread of the benchmark's JVM could be timed with {@code ThreadMXBean}, but
 * that leaves out what the consumer costs beyond its thread (the Kafka client's and the HTTP
 * client's threads, its garbage collection, JIT compilation), and its GC pauses would be the
 * benchmark's (load, probe). As a process it is measured exactly like the TaskManager: process
 * CPU from {@code /proc}, its own GC log, its own peak RSS. Its standard input is its lifeline: it
 * stops when that closes, so it never outlives the benchmark.
 */
final class PlainConsumerProcess implements AutoCloseable {
    /** A fixed, modest heap (the TaskManager's is sized by flink-conf): a plain consumer needs little, and its GC depends on it. */
    static final String HEAP = "-Xmx1g";

    private final Process process;
    private final Path gcLog;
    private final Writer stdin;
    private final AtomicLong records = new AtomicLong();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread reader;
    private volatile String failure;
    private volatile boolean closing;

    private PlainConsumerProcess(Process process, Path gcLog) {
        this.process = process;
        this.gcLog = gcLog;
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.reader = new Thread(this::read, "plain-consumer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the consumer's JVM and waits until it is ready to consume (not consuming yet: see {@link #go}). */
    static PlainConsumerProcess start(String bootstrap, String groupId, List<PlainConsumer.Route> routes, String openSearchUrl, Path gcLog)
            throws Exception {
        Files.createDirectories(gcLog.toAbsolutePath().getParent());
        deleteLogs(gcLog);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-XX:+UseG1GC", "-Xlog:gc:file=" + gcLog.toAbsolutePath() + ":time,uptimemillis",
                "-cp", System.getProperty("java.class.path"), PlainConsumer.class.getName(), bootstrap, groupId, openSearchUrl));
        routes.forEach(route -> command.add(route.topic() + "," + route.index() + "," + route.key()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        PlainConsumerProcess consumer = new PlainConsumerProcess(process, gcLog);
        if (!consumer.ready.await(2, TimeUnit.MINUTES) || consumer.failure != null) {
            consumer.close();
            throw new IllegalStateException("the plain consumer did not start: " + consumer.failure);
        }
        return consumer;
    }

    long pid() {
        return process.pid();
    }

    Path gcLog() {
        return gcLog;
    }

    /** Starts consuming. */
    void go() throws IOException {
        stdin.write("go\n");
        stdin.flush();
    }

    /** Records consumed and acknowledged by OpenSearch (offsets committed) since {@link #go}. */
    long records() {
        if (failure != null) {
            throw new IllegalStateException("the plain consumer failed: " + failure);
        }
        return records.get();
    }

    /** Closes its input (it commits and exits), waits for it, and only then forces it, this process and no other. */
    @Override
    public void close() throws Exception {
        closing = true;
        try {
            stdin.close();
        } catch (IOException gone) {
            // it has exited already
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        reader.join(Duration.ofSeconds(5).toMillis());
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals("ready")) {
                    ready.countDown();
                } else if (line.startsWith("records ") || line.startsWith("stopped ")) {
                    records.set(Long.parseLong(line.substring(line.indexOf(' ') + 1)));
                } else if (line.startsWith("failed ")) {
                    failure = line.substring(7);
                }
                // anything else is a library printing to standard output: ignored
            }
        } catch (IOException | RuntimeException broken) {
            failure = "its output could not be read: " + broken.getMessage();
        }
        if (!closing && failure == null) {
            failure = "it exited (" + process.onExit().join().exitValue() + ")";
        }
        ready.countDown();
    }

    /** A fresh log per process: the phases are read by time, but an old run's lines are no use. */
    private static void deleteLogs(Path gcLog) throws IOException {
        Path dir = gcLog.toAbsolutePath().getParent();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(gcLog.getFileName().toString())).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
