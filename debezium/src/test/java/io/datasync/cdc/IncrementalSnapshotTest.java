package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.cdc.IncrementalSnapshot.Notification;
import io.datasync.cdc.IncrementalSnapshot.Progress;
import io.datasync.testing.ProjectRoot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncrementalSnapshotTest {
    private static Notification notification(String type, String data) throws Exception {
        return Notification.parse("{\"id\":\"n1\",\"aggregate_type\":\"Incremental Snapshot\",\"type\":\"" + type + "\",\"additional_data\":{"
                + data + "},\"timestamp\":\"1764600000000\"}").orElseThrow();
    }

    @Test
    void theSignalAsksForAnIncrementalSnapshotOfTheNamedCollections() {
        assertThat(IncrementalSnapshot.signal(List.of("public.comments", "public.videos"))).isEqualTo(
                "{\"type\":\"execute-snapshot\",\"data\":{\"data-collections\":[\"public.comments\",\"public.videos\"],\"type\":\"INCREMENTAL\"}}");
    }

    @Test
    void theShippedConnectorSnapshotsItsDataTablesButNotTheHeartbeatOrSignalTable() throws Exception {
        Map<String, String> connector = ConnectClient.readConfig(ProjectRoot.get().resolve("debezium/postgres-connector.json"));

        assertThat(IncrementalSnapshot.collections(connector, null)).containsExactly("public.videos", "public.users", "public.comments");
        assertThat(IncrementalSnapshot.collections(connector, List.of("comments", "public.videos"))).containsExactly("public.comments", "public.videos");
        assertThatThrownBy(() -> IncrementalSnapshot.collections(connector, List.of("playlists")))
                .hasMessageContaining("playlists is not captured");
    }

    @Test
    void progressCountsChunksAgainstTheRowsAndEndsWithTheScanResults() throws Exception {
        Progress progress = new Progress(Map.of("public.comments", 10_000L, "public.videos", 0L), 4096);

        assertThat(progress.apply(notification("STARTED", "\"connector_name\":\"dbserver\",\"data_collections\":\"public.comments,public.videos\"")))
                .contains("incremental snapshot started: public.comments,public.videos");
        String inProgress = "\"current_collection_in_progress\":\"public.comments\",\"maximum_key\":\"c9\",\"last_processed_key\":\"c4\"";
        assertThat(progress.apply(notification("IN_PROGRESS", inProgress))).contains("public.comments: chunk 1, ~4,096 of 10,000 rows (40%)");
        assertThat(progress.apply(notification("IN_PROGRESS", inProgress))).contains("public.comments: chunk 2, ~8,192 of 10,000 rows (81%)");
        assertThat(progress.apply(notification("IN_PROGRESS", inProgress))).contains("public.comments: chunk 3, ~10,000 of 10,000 rows (100%)");
        assertThat(progress.apply(notification("TABLE_SCAN_COMPLETED",
                "\"scanned_collection\":\"public.comments\",\"total_rows_scanned\":\"10000\",\"status\":\"SUCCEEDED\"")))
                .contains("public.comments: scan SUCCEEDED, 10,000 rows read");
        progress.apply(notification("TABLE_SCAN_COMPLETED", "\"scanned_collection\":\"public.videos\",\"total_rows_scanned\":\"0\",\"status\":\"EMPTY\""));
        Notification completed = notification("COMPLETED", "\"connector_name\":\"dbserver\"");

        assertThat(completed.finished()).isTrue();
        assertThat(progress.failed()).isEmpty();
    }

    @Test
    void progressIsShownOncePerTenthOfATable() throws Exception {
        Progress progress = new Progress(Map.of("public.comments", 100_000L), 1024);
        String inProgress = "\"current_collection_in_progress\":\"public.comments\"";
        long lines = 0;
        for (int chunk = 0; chunk < 98; chunk++) {
            lines += progress.apply(notification("IN_PROGRESS", inProgress)).isPresent() ? 1 : 0;
        }

        assertThat(lines).isEqualTo(11); // chunk 1 (1%), then at 10%, 20%, …, 100%
    }

    @Test
    void aTableThatCouldNotBeScannedIsAFailure() throws Exception {
        Progress progress = new Progress(Map.of("public.comments", 10L), 1024);
        progress.apply(notification("TABLE_SCAN_COMPLETED", "\"scanned_collection\":\"public.comments\",\"total_rows_scanned\":\"0\",\"status\":\"SQL_EXCEPTION\""));

        assertThat(progress.failed()).containsExactly("public.comments (SQL_EXCEPTION)");
        assertThat(notification("ABORTED", "").finished()).isTrue();
    }

    @Test
    void notificationsOfTheInitialSnapshotOrNoneAreIgnored() throws Exception {
        assertThat(Notification.parse("{\"aggregate_type\":\"Initial Snapshot\",\"type\":\"COMPLETED\"}")).isEmpty();
        assertThat(Notification.parse(null)).isEmpty();
    }
}
