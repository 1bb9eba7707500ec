package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochRecordTest {
    private static BulkEntry write(String index, long epoch, long counter) {
        return new BulkEntry(index, "id-" + counter, "{}".getBytes(), epoch << 32 | counter, 0, null, 0, 0);
    }

    @Test
    void aBatchNamesTheHighestEpochOfEachConcreteIndex() {
        List<BulkEntry> batch = List.of(write("comments_index_v1", 7, 1), write("comments_index_v1", 9, 4), write("videos_index_v1", 7, (1L << 32) - 1));

        assertThat(EpochRecord.epochsIn(batch)).containsOnly(
                org.assertj.core.api.Assertions.entry("comments_index_v1", 9L), org.assertj.core.api.Assertions.entry("videos_index_v1", 7L));
    }

    @Test
    void theRecordKeepsTheMaximumThroughExternalVersions() {
        assertThat(EpochRecord.recordPath("comments_index_v2", 123)).isEqualTo("/data-sync-epochs/_doc/comments_index_v2?version=123&version_type=external_gte");
        assertThat(EpochRecord.recordBody("comments_index_v2", 123)).isEqualTo("{\"index\":\"comments_index_v2\",\"epoch\":123}");
    }
}
