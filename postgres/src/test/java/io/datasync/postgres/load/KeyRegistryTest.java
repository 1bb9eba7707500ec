package io.datasync.postgres.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.postgres.csv.CsvRow;
import io.datasync.postgres.csv.SeedTable;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyRegistryTest {
    private final KeyRegistry keys = new KeyRegistry();

    @Test
    void admitsCommentsWhoseParentsWereLoaded() {
        assertThat(keys.admit(SeedTable.VIDEOS, video("v1"))).isEmpty();
        assertThat(keys.admit(SeedTable.USERS, user("u1"))).isEmpty();

        assertThat(keys.admit(SeedTable.COMMENTS, comment("c1", "v1", "u1"))).isEmpty();
    }

    @Test
    void rejectsDuplicateKeys() {
        keys.admit(SeedTable.VIDEOS, video("v1"));

        assertThat(keys.admit(SeedTable.VIDEOS, video("v1"))).contains("duplicate video_id 'v1'");
    }

    @Test
    void rejectsReferencesToMissingParents() {
        keys.admit(SeedTable.VIDEOS, video("v1"));

        assertThat(keys.admit(SeedTable.COMMENTS, comment("c1", "v2", "u1"))).contains("video_id 'v2' is not in videos.csv");
        assertThat(keys.admit(SeedTable.COMMENTS, comment("c1", "v1", "u9"))).contains("channel_id 'u9' is not in users.csv");
    }

    private static CsvRow video(String id) {
        return new CsvRow(2, Arrays.asList(id, "title", null));
    }

    private static CsvRow user(String id) {
        return new CsvRow(2, Arrays.asList(id, "name"));
    }

    private static CsvRow comment(String id, String video, String user) {
        return new CsvRow(2, Arrays.asList(id, video, user, "text", "0", "0", null, null, null));
    }
}
