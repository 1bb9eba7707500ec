package io.datasync.chaos;

import java.util.List;

/**
 * What one fault did: the changes applied around it, the documents the verifier checked after
 * it and how many were lost (row, no document), duplicated (surplus copies), resurrected
 * (document, no row) or stale (fields not what SQL says); how long the fault lasted, how long
 * after the fault every task of the job was RUNNING again (-1 when the fault does not restart the
 * job), how long after the fault OpenSearch applied a write of the restored job (-1 likewise), how long after its
 * repair a change committed during it was in OpenSearch, how long after the load ended
 * the verifier found every index clean (the whole backlog caught up); what happened and what the logs said.
 */
public record FaultResult(
        String fault, String description, long statements, long changesApplied, long documentsChecked, long lost, long duplicated, long resurrected,
        long stale, double downSeconds, double tasksRunningSeconds, double writingSeconds, double recoverySeconds, double cleanSeconds, List<String> notes, List<String> logExcerpt) {

    /** Nothing lost, duplicated, resurrected or stale, and the pipeline recovered. */
    public boolean passed() {
        return lost == 0 && duplicated == 0 && resurrected == 0 && stale == 0 && recoverySeconds >= 0 && documentsChecked > 0;
    }
}
