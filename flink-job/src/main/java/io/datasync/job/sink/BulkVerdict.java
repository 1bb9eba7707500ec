package io.datasync.job.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * What a bulk response means for each of its actions ({@link ItemOutcome}): written, a version
 * conflict (a newer write got there first: success), rejected for good (dead-letter it) or
 * failed transiently (retry it). Items answer the actions in order.
 */
record BulkVerdict(int written, int conflicts, long oldestWrittenCommit, List<Rejected> rejected, List<Failed> failed) {

    /** An action OpenSearch will never accept, with why. */
    record Rejected(BulkEntry entry, String reason) {}

    /** An action that may succeed when sent again, with the last failure. */
    record Failed(BulkEntry entry, String cause) {}

    /** {@code oldestWrittenCommit} is {@code nowMillis} when no written action carries a commit time. */
    static BulkVerdict of(List<BulkEntry> batch, List<BulkResponse.Item> items, long nowMillis) {
        if (batch.size() != items.size()) {
            throw new IllegalArgumentException(items.size() + " items for " + batch.size() + " actions");
        }
        int written = 0;
        int conflicts = 0;
        long oldestCommit = nowMillis;
        List<Rejected> rejected = new ArrayList<>();
        List<Failed> failed = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BulkEntry entry = batch.get(i);
            BulkResponse.Item item = items.get(i);
            switch (ItemOutcome.of(item.failed(), item.status())) {
                case SUCCESS -> {
                    written++;
                    if (entry.commitMillis() > 0) {
                        oldestCommit = Math.min(oldestCommit, entry.commitMillis());
                    }
                }
                case VERSION_CONFLICT -> conflicts++;
                case PERMANENT -> rejected.add(new Rejected(entry,
                        "OpenSearch rejected the document (HTTP " + item.status() + "): " + item.error()));
                case TRANSIENT -> failed.add(new Failed(entry, "HTTP " + item.status() + ": " + item.error()));
            }
        }
        return new BulkVerdict(written, conflicts, oldestCommit, List.copyOf(rejected), List.copyOf(failed));
    }

    /** Every action of {@code batch} failed the same way (the whole request did). */
    static BulkVerdict allFailed(List<BulkEntry> batch, String cause, long nowMillis) {
        return new BulkVerdict(0, 0, nowMillis, List.of(), batch.stream().map(entry -> new Failed(entry, cause)).toList());
    }
}
