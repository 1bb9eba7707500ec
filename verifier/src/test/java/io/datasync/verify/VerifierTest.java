package io.datasync.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifierTest {
    @Test
    void missingExtraDuplicatedAndDifferentDocumentsAreCountedAndNamed() {
        Map<String, Map<String, Object>> expected = Map.of(
                "a", Map.of("likes", 1L), "b", Map.of("likes", 2L), "c", Map.of("likes", 3L));
        Map<String, Map<String, Object>> actual = Map.of(
                "a", Map.of("likes", 1), "b", Map.of("likes", 5), "z", Map.of("likes", 9));

        Verifier.IndexReport report = Verifier.compare("comments_index", expected, actual, Map.of("a", 1), Set.of(), 10);

        assertThat(report.clean()).isFalse();
        assertThat(report).extracting(Verifier.IndexReport::expected, Verifier.IndexReport::found, Verifier.IndexReport::missing,
                Verifier.IndexReport::extra, Verifier.IndexReport::duplicated, Verifier.IndexReport::different).containsExactly(3L, 4L, 1L, 1L, 1L, 1L);
        assertThat(report.firstMismatches()).containsExactly(
                "comments_index/b: likes: expected 2, found 5", "comments_index/c: missing", "comments_index/z: extra (no such row)",
                "comments_index/a: 2 copies");
    }

    @Test
    void equalIndexesAreClean() {
        Map<String, Map<String, Object>> same = Map.of("a", Map.of("likes", 1L));

        assertThat(Verifier.compare("videos_index", same, same, Map.of(), Set.of(), 10).clean()).isTrue();
    }

    @Test
    void whileChangesComeOnlyWhatDifferedInEveryPassIsDrift() {
        Map<String, Map<String, Object>> expected = Map.of("a", Map.of("likes", 1L), "b", Map.of("likes", 2L), "c", Map.of("likes", 3L));
        Verifier.IndexReport last = Verifier.compare("comments_index", expected, Map.of("a", Map.of("likes", 7), "c", Map.of("likes", 3)),
                Map.of(), Set.of(), 10);

        // b was missing in every pass (lost); a differed only in the last one (caught up with later).
        Verifier.IndexReport settled = Verifier.settled(last, Set.of("b"));

        assertThat(settled.clean()).isFalse();
        assertThat(settled).extracting(Verifier.IndexReport::missing, Verifier.IndexReport::different).containsExactly(1L, 0L);
        assertThat(settled.firstMismatches()).containsExactly("comments_index/b: missing");
        assertThat(Verifier.settled(last, Set.of()).clean()).isTrue();
    }
}
