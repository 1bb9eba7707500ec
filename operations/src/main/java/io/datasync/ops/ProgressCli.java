package io.datasync.ops;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code make up}'s last step (and {@code make progress}): follows the load until every row is a
 * searchable document, one progress line at a time (rewritten in place on a terminal). Exit 0 when
 * done, 1 when the time is up or nothing moved for {@code --stall}, 2 on a bad option.
 */
@Command(name = "progress", mixinStandardHelpOptions = true,
        description = "Follows the load until every row of the tables is a searchable document: documents, rate, time left.")
public final class ProgressCli implements Callable<Integer> {
    @Mixin
    StatusOptions options;

    @Option(names = "--interval", defaultValue = "PT2S", description = "Time between readings (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--stall", defaultValue = "PT10M", description = "Give up after this long without progress (default: ${DEFAULT-VALUE}).")
    Duration stall;

    public static void main(String[] args) {
        Commands.exit(new ProgressCli(), args, 2);
    }

    @Override
    public Integer call() throws Exception {
        PipelineStatus pipeline = options.pipeline();
        boolean terminal = System.console() != null;
        long started = System.nanoTime();
        long lastPrinted = 0;
        PipelineSnapshot previous = pipeline.read();
        CatchUpProgress moving = new CatchUpProgress(stall, started);
        while (true) {
            Thread.sleep(interval.toMillis());
            PipelineSnapshot now = pipeline.read();
            LoadProgress progress = LoadProgress.between(previous, now);
            previous = now;
            long clock = System.nanoTime();
            moving.observe(progress.documents(), progress.pendingRecords() == null ? -1 : progress.pendingRecords(), clock);
            // On a terminal the line is rewritten in place; in a log, one line every 10 s.
            if (terminal) {
                System.out.print("\r\033[K" + progress.line());
                System.out.flush();
            } else if (progress.done() || clock - lastPrinted >= 10_000_000_000L) {
                System.out.println(progress.line());
                lastPrinted = clock;
            }
            if (progress.done()) {
                if (terminal) {
                    System.out.println();
                }
                System.out.printf("loaded: %s in %s%n", progress.documents() == progress.rows() ? "every row is a searchable document"
                        : "the job has read every change (changes still flowing)", LoadProgress.human(Duration.ofNanos(clock - started)));
                progress.surplusNotes().forEach(note -> System.out.println("note: " + note));
                return 0;
            }
            if (clock - started > timeout.toNanos() || moving.stalled(clock)) {
                if (terminal) {
                    System.out.println();
                }
                System.out.printf("not done after %s (%s): make status shows what is wrong%n", LoadProgress.human(Duration.ofNanos(clock - started)),
                        moving.stalled(clock) ? "no progress for " + stall : "--timeout " + timeout);
                return 1;
            }
        }
    }
}
