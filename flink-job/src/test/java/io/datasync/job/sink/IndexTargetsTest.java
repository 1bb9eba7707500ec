package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import org.junit.jupiter.api.Test;

class IndexTargetsTest {
    private static final SyncSpec SPEC = SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC);

    @Test
    void aRebuildWritesBesideTheVersionItBuilds() {
        assertThat(IndexTargets.rebuilt(SPEC.index("comments_index"), "20261201-1700")).isEqualTo("comments_index_v1_20261201-1700");
    }

    @Test
    void theFirstBuildAndEveryRebuildOfTheSpecVersionServeItButAnotherVersionDoesNot() {
        SyncSpec.IndexSpec comments = SPEC.index("comments_index");

        assertThat(IndexTargets.servesVersion(comments, "comments_index_v1")).isTrue();
        assertThat(IndexTargets.servesVersion(comments, "comments_index_v1_20261201-1700")).isTrue();
        assertThat(IndexTargets.servesVersion(comments, "comments_index_v2")).isFalse();
        assertThat(IndexTargets.servesVersion(comments, "comments_index_v12")).isFalse();
    }

    @Test
    void withoutOpenSearchEachAliasIsWrittenAtItsSpecVersion() {
        IndexTargets targets = IndexTargets.ofSpec(SPEC);

        assertThat(targets.concrete("videos_index")).isEqualTo("videos_index_v2");
        assertThatThrownBy(() -> targets.concrete("playlists_index")).hasMessageContaining("playlists_index");
    }
}
