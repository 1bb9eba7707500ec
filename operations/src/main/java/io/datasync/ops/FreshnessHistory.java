package io.datasync.ops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last hour of the job's commit-to-written delay (its commitToWrittenMillis gauge: the largest
 * delay of the last bulks, from the row's commit in PostgreSQL to OpenSearch's answer), one point
 * per reading of the status service: the status page's chart. Kept in memory only: Prometheus
 * keeps the long history.
 */
final class FreshnessHistory {
    /** {@code commitToWrittenMillis} null: the job did not report it (not running, or nothing written yet). */
    record Point(long atMillis, Double commitToWrittenMillis) {}

    private final long keepMillis;
    private final Deque<Point> points = new ArrayDeque<>();

    FreshnessHistory(Duration keep) {
        this.keepMillis = keep.toMillis();
    }

    synchronized void add(PipelineSnapshot snapshot) {
        PipelineSnapshot.Job job = snapshot.flink().job();
        Double delay = job == null || job.figures() == null ? null : job.figures().commitToWrittenMillis();
        if (!points.isEmpty() && points.peekLast().atMillis() >= snapshot.takenAtMillis()) {
            return;
        }
        points.addLast(new Point(snapshot.takenAtMillis(), delay));
        while (points.peekFirst().atMillis() < snapshot.takenAtMillis() - keepMillis) {
            points.removeFirst();
        }
    }

    synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
