package io.datasync.bench;

import io.datasync.job.spec.SyncSpec.IndexSpec;
import io.datasync.postgres.changes.ChangeLoad;
import io.datasync.postgres.changes.ChangeMix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make reindex} on the running pipeline under a steady change load, with a search on every
 * alias every 50 ms (issue 14): how long each step took, how long the alias swap took, whether
 * search ever failed or came back empty, and the verifier after.
 */
final class ReindexBenchmark {
    /**
     * {@code steps}: seconds per step as make reindex printed them; {@code swapMillis}: the _aliases request;
     * {@code failure}: make reindex's last line when it failed (the search results still count), else null.
     */
    record Result(int rate, double achievedRate, long changes, Map<String, Double> steps, long swapMillis, double totalSeconds,
                  List<SearchAvailability.Result> search, boolean noDrift, String failure) {
        boolean passed() {
            return failure == null && noDrift && search.stream().allMatch(SearchAvailability.Result::alwaysAnswered);
        }
    }

    private static final Pattern STEP = Pattern.compile("([a-z-]+) ([0-9.]+) (s|ms)");

    private final Pipeline pipeline;
    private final Callable<Connection> connections;

    ReindexBenchmark(Pipeline pipeline, Callable<Connection> connections) {
        this.pipeline = pipeline;
        this.connections = connections;
    }

    Result run(int rate, Duration timeout) throws Exception {
        ChangeMix mix;
        try (Connection loader = connections.call()) {
            mix = ChangeMix.load(loader, System.currentTimeMillis(), "reindex-" + System.currentTimeMillis() / 1000 + "-");
        }
        AtomicLong changes = new AtomicLong();
        Load load = new Load(new ChangeLoad(connections, mix, 4), rate, changes);
        Thread writer = new Thread(load, "reindex-load");
        List<String> aliases = pipeline.spec().indexes().stream().map(IndexSpec::name).toList();
        long started = System.nanoTime();
        Reindex reindex;
        List<SearchAvailability.Result> search;
        writer.start();
        try (SearchAvailability searches = new SearchAvailability(pipeline.openSearchUrl(), aliases, Duration.ofMillis(50))) {
            reindex = reindex(timeout);
            search = searches.results();
        } finally {
            load.stopped = true;
            writer.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (load.failure != null) {
            throw load.failure;
        }
        Map<String, Double> steps = steps(reindex.output());
        long swapMillis = steps.containsKey("swap") ? Math.round(steps.remove("swap") * 1000) : -1;
        // A failed re-index leaves the current indexes serving: the verifier judges those.
        boolean noDrift = pipeline.noDrift(Duration.ofMinutes(5));
        return new Result(rate, changes.get() / seconds, changes.get(), steps, swapMillis, seconds, search, noDrift, reindex.failure());
    }

    /** Seconds per step from make reindex's "steps: start 11.2 s, …, swap 97 ms, …" line (the swap in seconds too). */
    static Map<String, Double> steps(List<String> output) {
        Map<String, Double> steps = new LinkedHashMap<>();
        for (String line : output) {
            if (line.startsWith("steps: ")) {
                Matcher step = STEP.matcher(line);
                while (step.find()) {
                    double value = Double.parseDouble(step.group(2));
                    steps.put(step.group(1), step.group(3).equals("ms") ? value / 1000 : value);
                }
            }
        }
        return steps;
    }

    /** Why make reindex stopped: its last {@code error:} line (make's own lines follow it), else its last line. */
    static String why(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            if (output.get(i).startsWith("error:")) {
                return output.get(i);
            }
        }
        return output.isEmpty() ? "no output" : output.get(output.size() - 1);
    }

    /** make reindex's output and, when it failed or timed out, why. */
    private record Reindex(List<String> output, String failure) {}

    /** make reindex CONFIRM=yes, its output passed through and kept; stopped after {@code timeout}. */
    private Reindex reindex(Duration timeout) throws Exception {
        Process process = new ProcessBuilder("make", "--no-print-directory", "reindex", "CONFIRM=yes").directory(pipeline.root().toFile())
                .redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        // Read on a thread of its own: reading to the end here would wait for make reindex however long it takes.
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    System.out.println(line);
                    lines.add(line);
                }
            } catch (IOException closed) {
                // the process was stopped
            }
        }, "reindex-output");
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            reader.join(10_000);
            List<String> output = List.copyOf(lines);
            return new Reindex(output, "make reindex stopped after " + timeout + " (its rebuild left running: stack/job.sh abandon <job id>): "
                    + why(output));
        }
        reader.join();
        List<String> output = List.copyOf(lines);
        return new Reindex(output, process.exitValue() == 0 ? null : "make reindex failed (exit " + process.exitValue() + "): " + why(output));
    }

    /** The change load in slices of a few seconds until stopped. */
    private static final class Load implements Runnable {
        private final ChangeLoad load;
        private final int rate;
        private final AtomicLong changes;
        private volatile boolean stopped;
        private volatile Exception failure;

        Load(ChangeLoad load, int rate, AtomicLong changes) {
            this.load = load;
            this.rate = rate;
            this.changes = changes;
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    changes.addAndGet(load.run(rate, Duration.ofSeconds(5), 0, change -> {}).statements());
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }
}
