package io.datasync.job.enrich;

import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.SyncSpec;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Thin operator around {@link Router}: document inputs on the main output, parent updates on {@link #PARENT_UPDATES}. */
public final class RouteFunction extends ProcessFunction<RowDelta, DocumentInput> {
    public static final OutputTag<ParentUpdate> PARENT_UPDATES = new OutputTag<>("parent-updates", new ParentUpdate.Info().info());

    private final Router router;

    public RouteFunction(SyncSpec spec) {
        this.router = new Router(spec);
    }

    @Override
    public void processElement(RowDelta delta, Context context, Collector<DocumentInput> out) {
        router.route(delta, out::collect, update -> context.output(PARENT_UPDATES, update));
    }
}
