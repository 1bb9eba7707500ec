package io.datasync.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads CDC topics from their beginning with a plain Kafka consumer (no group, no commits) and
 * keeps everything it has read, so tests can wait for events and then assert on all of them.
 */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ChangeEvent> events = new ArrayList<>();

    public TopicReader(String bootstrap, Collection<String> topics) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads until the events read so far satisfy {@code done}; fails after {@code timeout}. */
    public List<ChangeEvent> awaitUntil(Predicate<List<ChangeEvent>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(events)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; read " + events.size() + " events");
            }
            pollOnce(Duration.ofMillis(200));
        }
        return List.copyOf(events);
    }

    /** Reads until nothing new arrives for {@code quiet}: what is there once the source is idle. */
    public List<ChangeEvent> drain(Duration quiet) {
        int before;
        do {
            before = events.size();
            long until = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < until) {
                pollOnce(Duration.ofMillis(100));
            }
        } while (events.size() != before);
        return List.copyOf(events);
    }

    /** Events read so far that match. */
    public List<ChangeEvent> matching(Predicate<ChangeEvent> filter) {
        return events.stream().filter(filter).toList();
    }

    public List<ChangeEvent> all() {
        return List.copyOf(events);
    }

    private void pollOnce(Duration timeout) {
        for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
            events.add(new ChangeEvent(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
