package io.datasync.job.enrich;

import io.datasync.job.normalize.RowDelta;
import io.datasync.job.spec.SyncSpec;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Thin operator around {@link Router}. */
public final class RouteFunction implements FlatMapFunction<RowDelta, EnrichMessage> {
    private final Router router;

    public RouteFunction(SyncSpec spec) {
        this.router = new Router(spec);
    }

    @Override
    public void flatMap(RowDelta delta, Collector<EnrichMessage> out) {
        router.route(delta).forEach(out::collect);
    }
}
