package io.datasync.job.deadletter;

import java.io.Serializable;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead letters straight to Kafka from places that are not part of the dataflow (the
 * OpenSearch sink's response inspector). Created lazily on first use: not serialized. A dead
 * letter Kafka did not take is not dropped: {@link #flush} fails, so whatever produced it is
 * not done (the sink's request fails and the job retries it from its last checkpoint).
 */
public final class DeadLetterProducer implements Serializable, AutoCloseable {
    private final String bootstrapServers;
    private final String topic;
    private final Properties overrides;
    private transient KafkaProducer<byte[], byte[]> producer;
    private transient AtomicReference<Exception> failed;

    public DeadLetterProducer(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, new Properties());
    }

    /** {@code overrides}: producer settings of the caller's (tests: a short max.block.ms). */
    DeadLetterProducer(String bootstrapServers, String topic, Properties overrides) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.overrides = overrides;
    }

    public void send(DeadLetter letter) {
        byte[] key = letter.correlationId() == null ? null : letter.correlationId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer().send(new ProducerRecord<>(topic, key, letter.toJson()), (metadata, exception) -> {
            if (exception != null) {
                failed.compareAndSet(null, exception);
            }
        });
    }

    /** Waits until Kafka has taken every dead letter sent so far; fails if it refused any. */
    public void flush() {
        if (producer != null) {
            producer.flush();
            Exception refused = failed.getAndSet(null);
            if (refused != null) {
                throw new IllegalStateException("a dead letter could not be written to " + topic + " at " + bootstrapServers + ": " + refused, refused);
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.putAll(overrides);
            failed = new AtomicReference<>();
            producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
