package io.datasync.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of latencies in milliseconds (nearest rank). */
record Latency(int count, double p50, double p95, double p99, double max) {
    static Latency of(List<Double> millis) {
        if (millis.isEmpty()) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Latency(sorted.length, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
