package io.datasync.e2e;

import io.datasync.postgres.changes.ChangeLoad;
import io.datasync.postgres.changes.ChangeMix;
import io.datasync.testing.TestStack;
import java.time.Duration;

/** The shared mixed change load ({@link ChangeMix}) on a thread of its own, for a fixed time or until stopped. */
final class BackgroundLoad implements Runnable {
    private static final Duration SLICE = Duration.ofSeconds(5);

    private final TestStack stack;
    private final long seed;
    private final Duration duration;
    private final double rate;
    private volatile boolean stopped;
    private volatile long applied;
    private volatile Exception failure;

    /** 100 changes/s for {@code duration}. */
    BackgroundLoad(TestStack stack, long seed, Duration duration) {
        this(stack, seed, duration, 100);
    }

    /** {@code rate} changes/s for {@code duration} or until {@link #stop}. */
    BackgroundLoad(TestStack stack, long seed, Duration duration, double rate) {
        this.stack = stack;
        this.seed = seed;
        this.duration = duration;
        this.rate = rate;
    }

    /** Rows changed; fails the test if the load failed. */
    long applied() throws Exception {
        if (failure != null) {
            throw failure;
        }
        return applied;
    }

    /** Ends the load within a few seconds (the current slice runs out). */
    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        try {
            ChangeMix mix;
            try (var db = stack.connect()) {
                mix = ChangeMix.load(db, seed, "load-" + seed + "-");
            }
            ChangeLoad load = new ChangeLoad(stack::connect, mix, 1);
            long end = System.nanoTime() + duration.toNanos();
            while (!stopped && System.nanoTime() < end) {
                Duration slice = Duration.ofNanos(Math.min(SLICE.toNanos(), end - System.nanoTime()));
                applied += load.run(rate, slice, 0, change -> {}).applied();
            }
        } catch (Exception e) {
            failure = e;
        }
    }
}
