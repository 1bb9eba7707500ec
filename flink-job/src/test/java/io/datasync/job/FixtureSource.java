package io.datasync.job;

import io.datasync.job.decode.RawRecord;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * Test stand-in for the job's Kafka source: emits the given Debezium change events as Kafka
 * records (topic, key and value bytes, offsets counting from 0 in one partition), then stays idle
 * until the job is cancelled, as a source of an unbounded topic does. Stateless; one instance
 * (parallelism 1) emits them all, in order.
 */
final class FixtureSource implements SourceFunction<RawRecord> {
    /** One Kafka record as the topics hold them: key and value are Debezium's JSON. */
    record Event(String topic, String key, String value) implements Serializable {}

    private final List<Event> events;
    private volatile boolean running = true;

    FixtureSource(List<Event> events) {
        this.events = new ArrayList<>(events);
    }

    @Override
    public void run(SourceContext<RawRecord> context) throws Exception {
        long offset = 0;
        for (Event event : events) {
            synchronized (context.getCheckpointLock()) {
                context.collect(new RawRecord(event.topic(), 0, offset++, event.key().getBytes(StandardCharsets.UTF_8),
                        event.value().getBytes(StandardCharsets.UTF_8)));
            }
        }
        synchronized (this) {
            while (running) {
                wait();
            }
        }
    }

    @Override
    public void cancel() {
        running = false;
        synchronized (this) {
            notifyAll();
        }
    }
}
