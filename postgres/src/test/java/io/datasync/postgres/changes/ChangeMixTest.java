package io.datasync.postgres.changes;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.postgres.changes.Change.Kind;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChangeMixTest {
    private static ChangeMix mix(long seed) {
        List<String> videos = IntStream.range(0, 50).mapToObj(i -> "v" + i).toList();
        List<String> users = IntStream.range(0, 50).mapToObj(i -> "u" + i).toList();
        List<String> comments = IntStream.range(0, 500).mapToObj(i -> "c" + i).toList();
        return new ChangeMix(seed, videos, users, comments, "new-");
    }

    @Test
    void drawsEveryKindWithValuesNewForTheirRow() {
        ChangeMix mix = mix(1);
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        Set<String> values = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            Change change = mix.next(false);
            kinds.add(change.kind());
            if (change.kind() != Kind.MOVE && !change.deletes()) {
                assertThat(values.add(change.row() + "=" + change.value())).as("value of %s", change).isTrue();
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(Kind.values());
    }

    @Test
    void aLikeAddsOneToTheCountTheMixKnows() {
        ChangeMix mix = new ChangeMix(11, List.of("v1"), List.of("u1"), List.of("c1", "c2"), java.util.Map.of("c1", 41), "n-");
        java.util.Map<String, Integer> last = new java.util.HashMap<>(java.util.Map.of("c1", 41, "c2", 0));
        int likes = 0;
        for (int i = 0; i < 2000; i++) {
            Change change = mix.next(false);
            if (change.kind() == Kind.LIKES && last.containsKey(change.key())) {
                int expected = last.get(change.key()) + 1;
                assertThat(change.value()).isEqualTo(Integer.toString(expected));
                assertThat(change.sql()).isEqualTo("UPDATE comments SET likes = " + expected + " WHERE comment_id = '" + change.key() + "'");
                last.put(change.key(), expected);
                likes++;
            } else if (change.kind() == Kind.DELETE) {
                last.remove(change.key());
            }
        }
        assertThat(likes).isPositive();
    }

    @Test
    void theWeightsCoverEveryRollOnce() {
        assertThat(java.util.Arrays.stream(ChangeMix.WEIGHTS).sum()).isEqualTo(1000);
        assertThat(ChangeMix.kind(0)).isEqualTo(Kind.LIKES);
        assertThat(ChangeMix.kind(999)).isEqualTo(Kind.CASCADE_DELETE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChangeMix.kind(1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameSeedGivesTheSameChanges() {
        ChangeMix a = mix(7);
        ChangeMix b = mix(7);
        for (int i = 0; i < 200; i++) {
            assertThat(a.next(false)).isEqualTo(b.next(false));
        }
    }

    @Test
    void aClaimedRowIsLeftAloneUntilReleased() {
        ChangeMix mix = mix(3);
        Change claimed = mix.next(true);
        while (claimed.deletes()) {
            claimed = mix.next(true);
        }
        boolean touchedAfterRelease = false;
        for (int i = 0; i < 5000; i++) {
            Change change = mix.next(false);
            assertThat(change.row()).isNotEqualTo(claimed.row());
        }
        mix.release(claimed);
        for (int i = 0; i < 20000 && !touchedAfterRelease; i++) {
            touchedAfterRelease = mix.next(false).row().equals(claimed.row());
        }
        assertThat(touchedAfterRelease).isTrue();
    }

    @Test
    void deletedRowsAreNotChangedAgainAndQuotesAreEscaped() {
        ChangeMix mix = new ChangeMix(5, List.of("v'1", "v2", "v3", "v4", "v5"), List.of("u1"), List.of("c1", "c2"), "n-");
        Set<String> deleted = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            Change change = mix.next(false);
            assertThat(deleted).doesNotContain(change.row());
            if (change.deletes()) {
                deleted.add(change.row());
            }
            if (change.key().equals("v'1")) {
                assertThat(change.sql()).contains("'v''1'");
            }
        }
    }
}
