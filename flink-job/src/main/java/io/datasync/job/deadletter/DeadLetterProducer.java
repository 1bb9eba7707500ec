package io.datasync.job.deadletter;

import java.io.Serializable;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead letters straight to Kafka from places that are not part of the dataflow (the
 * OpenSearch sink's response inspector). Created lazily on first use: not serialized.
 */
public final class DeadLetterProducer implements Serializable, AutoCloseable {
    private final String bootstrapServers;
    private final String topic;
    private transient KafkaProducer<byte[], byte[]> producer;

    public DeadLetterProducer(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    public void send(DeadLetter letter) {
        byte[] key = letter.correlationId() == null ? null : letter.correlationId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer().send(new ProducerRecord<>(topic, key, letter.toJson()));
    }

    public void flush() {
        if (producer != null) {
            producer.flush();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
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
