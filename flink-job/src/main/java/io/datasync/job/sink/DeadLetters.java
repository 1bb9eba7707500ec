package io.datasync.job.sink;

import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.deadletter.DeadLetterProducer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Documents OpenSearch will never accept, sent to the dead-letter topic with the reason, counted
 * and logged with their correlation ID. Used from the response thread and the task thread.
 */
final class DeadLetters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterProducer producer;
    private final Counter deadLettered;

    DeadLetters(DeadLetterProducer producer, Counter deadLettered) {
        this.producer = producer;
        this.deadLettered = deadLettered;
    }

    synchronized void send(BulkEntry entry, String reason) {
        deadLettered.inc();
        LOG.warn("dead-lettering document {}/{}: {}; correlationId={}", entry.index(), entry.id(), reason, entry.trace());
        producer.send(new DeadLetter("opensearch", reason, entry.index(), -1, -1, entry.id(), entry.sourceText(), entry.trace(),
                System.currentTimeMillis()));
    }

    /** Waits until Kafka has every dead letter sent so far: before the request that produced them counts as done. */
    synchronized void flush() {
        producer.flush();
    }

    @Override
    public synchronized void close() {
        producer.close();
    }
}
