package io.datasync.job.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.common.TopicPartition;

/**
 * A partition where the job would not read every change after the ones its state already holds:
 * the changes from {@code resumeAt} up to the topic's {@code earliest} offset were deleted by
 * retention, or the topic ends before {@code resumeAt} (recreated or truncated). Resuming there
 * would skip changes silently and, with a newer epoch, write stale documents over good ones.
 */
public record ResumeGap(TopicPartition partition, long resumeAt, long earliest, long end) {

    /**
     * The gaps of a start: {@code restored} holds the offsets a restored job resumes at (empty
     * without state); a partition it does not name is read from its start, which must still be offset 0.
     */
    public static List<ResumeGap> find(Map<TopicPartition, Long> restored, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> end) {
        List<ResumeGap> gaps = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> first : earliest.entrySet()) {
            TopicPartition partition = first.getKey();
            long last = end.getOrDefault(partition, first.getValue());
            long resumeAt = resumePosition(restored.get(partition), last);
            if (resumeAt < first.getValue() || resumeAt > last) {
                gaps.add(new ResumeGap(partition, resumeAt, first.getValue(), last));
            }
        }
        gaps.sort(Comparator.comparing((ResumeGap gap) -> gap.partition().topic()).thenComparingInt(gap -> gap.partition().partition()));
        return gaps;
    }

    private static long resumePosition(Long restored, long end) {
        if (restored == null || restored == KafkaPartitionSplit.EARLIEST_OFFSET) {
            return 0;
        }
        return restored == KafkaPartitionSplit.LATEST_OFFSET ? end : restored;
    }

    public String describe() {
        String where = partition.topic() + " partition " + partition.partition();
        if (resumeAt > end) {
            return where + ": the job would resume at offset " + resumeAt + " but the topic ends at " + end
                    + " (recreated or truncated since the snapshot was taken)";
        }
        return where + ": the job would " + (resumeAt == 0 ? "read from offset 0" : "resume at offset " + resumeAt) + " but the topic now begins at "
                + earliest + ": " + (earliest - resumeAt) + " change(s) were deleted by retention and would be skipped";
    }

    /** The refusal: every gap, what would go wrong and the way out. */
    public static String refusal(List<ResumeGap> gaps, boolean restoring) {
        StringBuilder message = new StringBuilder(restoring
                ? "refusing to restore: the topics no longer hold every change after this snapshot's offsets"
                : "refusing to start without state: a job without state rebuilds the indexes from the whole topics, which no longer hold every change");
        for (ResumeGap gap : gaps) {
            message.append("\n  ").append(gap.describe());
        }
        message.append("\nThe indexes would silently miss those changes. Rebuild them from PostgreSQL instead: make reindex"
                + " (README, \"Rebuild and re-index\").");
        return message.toString();
    }
}
