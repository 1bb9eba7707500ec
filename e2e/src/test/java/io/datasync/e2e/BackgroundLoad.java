package io.datasync.e2e;

import io.datasync.postgres.changes.ChangeLoad;
import io.datasync.postgres.changes.ChangeMix;
import io.datasync.testing.TestStack;
import java.time.Duration;

/** The shared mixed change load ({@link ChangeMix}) at 100 changes/s on a thread of its own, for a fixed time. */
final class BackgroundLoad implements Runnable {
    private final TestStack stack;
    private final long seed;
    private final Duration duration;
    private volatile long applied;
    private volatile Exception failure;

    BackgroundLoad(TestStack stack, long seed, Duration duration) {
        this.stack = stack;
        this.seed = seed;
        this.duration = duration;
    }

    /** Rows changed; fails the test if the load failed. */
    long applied() throws Exception {
        if (failure != null) {
            throw failure;
        }
        return applied;
    }

    @Override
    public void run() {
        try {
            ChangeMix mix;
            try (var db = stack.connect()) {
                mix = ChangeMix.load(db, seed, "load-" + seed + "-");
            }
            applied = new ChangeLoad(stack::connect, mix, 1).run(100, duration, 0, change -> {}).applied();
        } catch (Exception e) {
            failure = e;
        }
    }
}
