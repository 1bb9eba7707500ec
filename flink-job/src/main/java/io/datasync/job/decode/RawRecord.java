package io.datasync.job.decode;

/** A Kafka record as read, before any decoding: bytes kept so a dead letter can carry them. */
public record RawRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
    public RowChange.Origin origin() {
        return new RowChange.Origin(topic, partition, offset);
    }
}
