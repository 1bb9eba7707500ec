package io.datasync.job.source;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the job's source starts: partitions it has no offset for (a start without state, a topic
 * new to the spec) from {@code startAt} (a rebuild: the topics' end when it was submitted) or else
 * from their first record, and never a silent jump. A restored offset that
 * retention has deleted fails the source ({@code auto.offset.reset=none}, Kafka's
 * OffsetOutOfRangeException names the partition) instead of resuming at the earliest offset still
 * there, which would skip every change in between.
 */
public final class NoResetOffsets implements OffsetsInitializer {
    private final Map<TopicPartition, Long> startAt;

    public NoResetOffsets(Map<TopicPartition, Long> startAt) {
        this.startAt = Map.copyOf(startAt);
    }

    @Override
    public Map<TopicPartition, Long> getPartitionOffsets(Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        partitions.forEach(partition -> offsets.put(partition, startAt.getOrDefault(partition, KafkaPartitionSplit.EARLIEST_OFFSET)));
        return offsets;
    }

    @Override
    @SuppressWarnings("deprecation") // the connector's interface still speaks Kafka 3's enum
    public OffsetResetStrategy getAutoOffsetResetStrategy() {
        return OffsetResetStrategy.NONE;
    }
}
