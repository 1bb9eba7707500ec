package io.datasync.job.enrich;

import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.SyncSpec;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Thin operator around {@link Router}: document inputs on the main output, parent updates on
 * {@link #PARENT_UPDATES}, a row a spec expression cannot be evaluated on as a dead letter on
 * {@link #EXPRESSION_PROBLEMS}.
 */
public final class RouteFunction extends ProcessFunction<RowDelta, DocumentInput> {
    public static final OutputTag<ParentUpdate> PARENT_UPDATES = new OutputTag<>("parent-updates", new ParentUpdate.Info().info());
    public static final OutputTag<DeadLetter> EXPRESSION_PROBLEMS = new OutputTag<>("expression-problems") {};

    private final Router router;

    public RouteFunction(SyncSpec spec) {
        this.router = new Router(spec);
    }

    @Override
    public void processElement(RowDelta delta, Context context, Collector<DocumentInput> out) {
        router.route(delta, out::collect, update -> context.output(PARENT_UPDATES, update),
                problem -> context.output(EXPRESSION_PROBLEMS, new DeadLetter("route", problem, null, -1, -1, delta.key(),
                        String.valueOf(delta.after() != null ? delta.after() : delta.before()), delta.correlationId(), System.currentTimeMillis())));
    }
}
