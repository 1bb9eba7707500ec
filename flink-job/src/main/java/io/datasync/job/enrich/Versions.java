package io.datasync.job.enrich;

/**
 * External document versions: {@code epoch << 32 | counter}. The counter grows with every write
 * of a document; the epoch grows with every start or restore of the job. After a restore the
 * counters restart from the checkpoint, below versions already written, and the replay may
 * interleave the topics differently; the larger epoch puts every new write above everything
 * written before the failure, so OpenSearch takes the replay's final state.
 */
public final class Versions {
    /** Seconds before this instant never occur as epochs; keeps epochs small. */
    static final long EPOCH_ORIGIN_SECONDS = 1_735_689_600L; // 2025-01-01T00:00:00Z

    private Versions() {}

    public static long version(long epoch, long counter) {
        if (counter <= 0 || counter >= (1L << 32)) {
            throw new IllegalArgumentException("document write counter out of range: " + counter);
        }
        return (epoch << 32) | counter;
    }

    /**
     * The epoch of a (re)started job: above every epoch restored from a checkpoint and every epoch
     * recorded in its indexes ({@code recordedEpoch}, see sink.EpochRecord), and the seconds since
     * 2025 otherwise, so even a restart without any checkpoint moves up; a clock behind the one that
     * wrote the indexes cannot take the epoch below what they hold.
     */
    public static long nextEpoch(long restoredEpoch, long recordedEpoch, long nowMillis) {
        long clock = Math.max(1, nowMillis / 1000 - EPOCH_ORIGIN_SECONDS);
        return Math.max(Math.max(restoredEpoch, recordedEpoch) + 1, clock);
    }
}
