package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AliasSwapTest {
    @Test
    void everyAliasMovesInOneRequest() {
        Map<String, String> next = new LinkedHashMap<>();
        next.put("comments_index", "comments_index_v1_20261201-1700");
        next.put("videos_index", "videos_index_v1_20261201-1700");

        assertThat(AliasSwap.body(Map.of("comments_index", List.of("comments_index_v1"), "videos_index", List.of("videos_index_v1")), next))
                .isEqualTo("{\"actions\":["
                        + "{\"remove\":{\"index\":\"comments_index_v1\",\"alias\":\"comments_index\"}},"
                        + "{\"add\":{\"index\":\"comments_index_v1_20261201-1700\",\"alias\":\"comments_index\"}},"
                        + "{\"remove\":{\"index\":\"videos_index_v1\",\"alias\":\"videos_index\"}},"
                        + "{\"add\":{\"index\":\"videos_index_v1_20261201-1700\",\"alias\":\"videos_index\"}}]}");
    }

    @Test
    void theLeftoversAreTheVersionsAndRebuildsOfTheAliasesThatNoAliasServes() {
        List<String> existing = List.of("comments_index_v1", "comments_index_v1_20261201-1700", "comments_index_v2_20261202-0900",
                "comments_index_archive", "videos_index_v1", "data-sync-epochs", "comments_index_v1_20261130-1200");

        assertThat(AliasSwap.unserved(List.of("comments_index", "videos_index"), existing, Set.of("comments_index_v2_20261202-0900", "videos_index_v1")))
                .containsExactly("comments_index_v1", "comments_index_v1_20261130-1200", "comments_index_v1_20261201-1700");
    }
}
