package io.datasync.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ResumeGapTest {
    private static final TopicPartition COMMENTS = new TopicPartition("dbserver.public.comments", 0);
    private static final TopicPartition VIDEOS = new TopicPartition("dbserver.public.videos", 0);

    @Test
    void aRestoredOffsetStillInTheTopicIsNoGap() {
        assertThat(ResumeGap.find(Map.of(COMMENTS, 500L, VIDEOS, 40L), Map.of(COMMENTS, 100L, VIDEOS, 40L), Map.of(COMMENTS, 900L, VIDEOS, 40L)))
                .isEmpty();
    }

    @Test
    void aRestoredOffsetBelowTheEarliestIsAGapNamingTheDeletedChanges() {
        List<ResumeGap> gaps = ResumeGap.find(Map.of(COMMENTS, 500L, VIDEOS, 40L), Map.of(COMMENTS, 800L, VIDEOS, 0L), Map.of(COMMENTS, 900L, VIDEOS, 40L));

        assertThat(gaps).containsExactly(new ResumeGap(COMMENTS, 500, 800, 900));
        assertThat(gaps.get(0).describe()).contains("dbserver.public.comments partition 0", "resume at offset 500", "begins at 800",
                "300 change(s) were deleted by retention");
        assertThat(ResumeGap.refusal(gaps, true)).startsWith("refusing to restore").contains("make reindex");
    }

    @Test
    void withoutStateEveryPartitionMustStillBeginAtZero() {
        assertThat(ResumeGap.find(Map.of(), Map.of(COMMENTS, 0L, VIDEOS, 0L), Map.of(COMMENTS, 9L, VIDEOS, 0L))).isEmpty();

        List<ResumeGap> gaps = ResumeGap.find(Map.of(), Map.of(COMMENTS, 0L, VIDEOS, 7L), Map.of(COMMENTS, 9L, VIDEOS, 12L));
        assertThat(gaps).containsExactly(new ResumeGap(VIDEOS, 0, 7, 12));
        assertThat(ResumeGap.refusal(gaps, false)).startsWith("refusing to start without state").contains("read from offset 0", "begins at 7");
    }

    @Test
    void aPartitionTheSnapshotDoesNotNameOrNeverReadIsReadFromItsStart() {
        assertThat(ResumeGap.find(Map.of(COMMENTS, KafkaPartitionSplit.EARLIEST_OFFSET), Map.of(COMMENTS, 3L, VIDEOS, 2L), Map.of(COMMENTS, 9L, VIDEOS, 5L)))
                .containsExactly(new ResumeGap(COMMENTS, 0, 3, 9), new ResumeGap(VIDEOS, 0, 2, 5));
    }

    @Test
    void aTopicEndingBeforeTheRestoredOffsetWasRecreated() {
        List<ResumeGap> gaps = ResumeGap.find(Map.of(COMMENTS, 500L), Map.of(COMMENTS, 0L), Map.of(COMMENTS, 20L));

        assertThat(gaps).containsExactly(new ResumeGap(COMMENTS, 500, 0, 20));
        assertThat(gaps.get(0).describe()).contains("ends at 20", "recreated");
    }

    @Test
    void theSourceNeverResetsAnOutOfRangeOffsetSilently() {
        assertThat(new NoResetOffsets(Map.of()).getAutoOffsetResetStrategy()).isEqualTo(org.apache.kafka.clients.consumer.OffsetResetStrategy.NONE);
    }

    @Test
    void aRebuildStartsAtTheGivenEndOffsetsAndAPartitionItDoesNotKnowAtItsStart() {
        Map<TopicPartition, Long> offsets = new NoResetOffsets(Map.of(COMMENTS, 900L)).getPartitionOffsets(List.of(COMMENTS, VIDEOS), null);

        assertThat(offsets).containsEntry(COMMENTS, 900L).containsEntry(VIDEOS, KafkaPartitionSplit.EARLIEST_OFFSET);
    }
}
