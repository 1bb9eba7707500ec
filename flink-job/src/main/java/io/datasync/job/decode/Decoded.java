package io.datasync.job.decode;

/** What decoding one record gave: a change, a record to skip on purpose, or one to dead-letter. */
public sealed interface Decoded {
    record Change(RowChange change) implements Decoded {}

    /** Heartbeats, tombstones, transaction markers: expected, carry no row change. */
    record Ignored(String reason) implements Decoded {}

    /** Cannot be used; goes to the dead-letter topic with this reason. */
    record Rejected(String reason) implements Decoded {}
}
