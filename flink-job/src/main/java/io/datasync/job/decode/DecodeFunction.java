package io.datasync.job.decode;

import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.spec.SyncSpec;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes each Kafka record; rejected ones go to the dead-letter side output, counted. */
public final class DecodeFunction extends ProcessFunction<RawRecord, RowChange> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("decode-dead-letters") {};
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFunction.class);

    private final DebeziumDecoder decoder;
    private transient Counter eventsIn;
    private transient Counter ignored;
    private transient Counter deadLettered;

    public DecodeFunction(SyncSpec spec) {
        this.decoder = new DebeziumDecoder(spec);
    }

    @Override
    public void open(OpenContext context) {
        eventsIn = getRuntimeContext().getMetricGroup().counter("eventsIn");
        ignored = getRuntimeContext().getMetricGroup().counter("eventsIgnored");
        deadLettered = getRuntimeContext().getMetricGroup().counter("eventsDeadLettered");
    }

    @Override
    public void processElement(RawRecord record, Context context, Collector<RowChange> out) {
        eventsIn.inc();
        Decoded decoded;
        try {
            decoded = decoder.decode(record);
        } catch (RuntimeException e) {
            decoded = new Decoded.Rejected("cannot decode: " + e);
        }
        if (decoded instanceof Decoded.Change change) {
            out.collect(change.change());
        } else if (decoded instanceof Decoded.Ignored) {
            ignored.inc();
        } else if (decoded instanceof Decoded.Rejected rejected) {
            deadLettered.inc();
            LOG.warn("dead-lettering {}: {}", record.origin(), rejected.reason());
            context.output(DEAD_LETTERS, DeadLetter.ofRaw("decode", rejected.reason(), record.topic(), record.partition(), record.offset(),
                    record.key(), record.value()));
        }
    }
}
