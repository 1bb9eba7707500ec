package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescedTest {

    @Test
    void aDocumentChangedSeveralTimesInOneBulkIsSentOnceAtItsHighestVersion() {
        BulkEntry video3 = index("videos_index_v1", "v-1", 3);
        BulkEntry comment = index("comments_index_v1", "c-1", 8);
        BulkEntry video5 = index("videos_index_v1", "v-1", 5);
        BulkEntry video4 = index("videos_index_v1", "v-1", 4);

        Coalesced coalesced = Coalesced.of(List.of(video3, comment, video5, video4));

        assertThat(coalesced.entries()).containsExactly(video5, comment);
        assertThat(coalesced.superseded()).isEqualTo(2);
    }

    @Test
    void aDeleteAndAnIndexOfOneDocumentKeepTheHigherVersionWhicheverComesFirst() {
        BulkEntry deleted = new BulkEntry("comments_index_v1", "c-1", null, 9, 0, "t", 0, 0);
        BulkEntry indexed = index("comments_index_v1", "c-1", 7);

        assertThat(Coalesced.of(List.of(deleted, indexed)).entries()).containsExactly(deleted);
        assertThat(Coalesced.of(List.of(indexed, deleted)).entries()).containsExactly(deleted);
    }

    @Test
    void ofEqualVersionsTheFirstIsKeptAsOpenSearchRefusesTheLaterOne() {
        BulkEntry first = index("users_index_v1", "u-1", 4);
        BulkEntry again = index("users_index_v1", "u-1", 4);

        assertThat(Coalesced.of(List.of(first, again)).entries()).singleElement().isSameAs(first);
    }

    @Test
    void theSameIdInTwoIndexesIsTwoDocumentsAndABatchWithoutRepeatsIsSentAsItIs() {
        List<BulkEntry> batch = List.of(index("comments_index_v1", "x", 1), index("comments_index_v2", "x", 1), index("videos_index_v1", "x", 1));

        Coalesced coalesced = Coalesced.of(batch);

        assertThat(coalesced.entries()).isSameAs(batch);
        assertThat(coalesced.superseded()).isZero();
    }

    private static BulkEntry index(String index, String id, long version) {
        return new BulkEntry(index, id, ("{\"v\":" + version + "}").getBytes(StandardCharsets.UTF_8), version, 0, "t-" + version, 0, 0);
    }
}
