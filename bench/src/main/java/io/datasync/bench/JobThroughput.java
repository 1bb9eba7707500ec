package io.datasync.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Benchmark 2 of issue 6: the job on the session cluster turning the topics (the snapshot
 * already in Kafka) into the three indexes. The running job is stopped, its indexes deleted, and
 * it is started without state ({@code FRESH=yes stack/job.sh start}); the clock runs from the
 * submission until every index holds as many documents as its table has rows. Then the verifier
 * must find no drift, or the run fails.
 */
final class JobThroughput {
    /** The metered phase (its costs row). */
    static final String PHASE = "job throughput: topics → indexes";

    record Result(long documents, double seconds, double firstDocumentSeconds, Map<String, Long> documentsPerIndex, boolean noDrift) {
        double docsPerSecond() {
            return documents / seconds;
        }
    }

    private final Pipeline pipeline;

    JobThroughput(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    Result measure(Duration timeout) throws Exception {
        return measure(timeout, PhaseMeter.off());
    }

    /** The same, the timed window metered (the TaskManager's CPU, GC, memory, checkpoints). */
    Result measure(Duration timeout, PhaseMeter meter) throws Exception {
        Map<String, Long> documents = pipeline.documentsPerIndex();
        pipeline.job(Map.of(), "cancel");
        pipeline.deleteIndexes();
        PhaseMeter.Running phase = meter.start(PHASE);
        long start = System.nanoTime();
        pipeline.job(Map.of("FRESH", "yes"), "start");
        Pipeline.Arrival arrival = pipeline.awaitDocuments(documents, start, timeout);
        // The indexes were created in the phase: their write count is the phase's.
        phase.stop(Map.of(Freshness.JOB_TARGET, pipeline.documentWrites()), Snapshot.total(documents));
        return new Result(Snapshot.total(documents), arrival.seconds(), arrival.firstDocumentSeconds(), documents, pipeline.noDrift(Duration.ofMinutes(2)));
    }
}
