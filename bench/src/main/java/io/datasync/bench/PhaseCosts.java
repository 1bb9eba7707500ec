package io.datasync.bench;

import java.util.List;

/**
 * What one phase cost each measured process (the job's TaskManager, the plain consumer), and the
 * job's checkpoints in it. {@code changes} is the source changes the phase fed in: those applied
 * (streaming phases), or the rows of the snapshot (loads: one event each).
 */
record PhaseCosts(String phase, double seconds, Long changes, List<Process> processes, FlinkCheckpoints.Summary checkpoints) {
    /**
     * One process over the phase: CPU seconds (null when it was not there throughout), the documents it
     * wrote to OpenSearch (index and delete operations), the CPU per 1,000 of them and per 1,000 source
     * changes, its peak RSS, and its GC pauses (null without a GC log).
     */
    record Process(String name, Double cpuSeconds, long documents, Double cpuSecondsPer1000Documents, Double cpuSecondsPer1000Changes,
                   long peakRssMib, GcLog.Pauses gc) {
        static Process of(String name, Double cpuSeconds, long documents, Long changes, long peakRssKib, GcLog.Pauses gc) {
            Double perChanges = changes == null ? null : perThousand(cpuSeconds, changes);
            return new Process(name, cpuSeconds, documents, perThousand(cpuSeconds, documents), perChanges, peakRssKib / 1024, gc);
        }

        private static Double perThousand(Double cpuSeconds, long count) {
            return cpuSeconds == null || count <= 0 ? null : cpuSeconds * 1000 / count;
        }
    }
}
