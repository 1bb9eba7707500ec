package io.datasync.ops;

import java.time.Duration;

/**
 * Whether a rebuild still moves towards the tables: it does while its new indexes gain documents
 * or its backlog of records shrinks below anything seen so far. At seed size under load on two
 * cores the catch-up took more than half an hour and was still moving when a fixed time limit
 * gave it up; what tells a stuck rebuild from a slow one is a long time without progress.
 */
final class CatchUpProgress {
    private final long stallNanos;
    private long mostDocuments = -1;
    private long fewestPending = Long.MAX_VALUE;
    private long lastProgressNanos;

    CatchUpProgress(Duration stall, long nowNanos) {
        this.stallNanos = stall.toNanos();
        this.lastProgressNanos = nowNanos;
    }

    /** One reading: the documents in the new indexes, the records the rebuild has yet to read (negative: not reported yet). */
    void observe(long documents, long pending, long nowNanos) {
        boolean progressed = false;
        if (documents > mostDocuments) {
            mostDocuments = documents;
            progressed = true;
        }
        if (pending >= 0 && pending < fewestPending) {
            fewestPending = pending;
            progressed = true;
        }
        if (progressed) {
            lastProgressNanos = nowNanos;
        }
    }

    /** No document gained and no backlog shrunk for the stall time. */
    boolean stalled(long nowNanos) {
        return nowNanos - lastProgressNanos > stallNanos;
    }
}
