package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadProgressTest {
    static final Map<String, String> INDEXES = new LinkedHashMap<>(Map.of("comments_index", "comments", "videos_index", "videos"));

    @Test
    void rateAndTimeLeftComeFromTwoReadings() {
        PipelineSnapshot before = snapshot(0, Map.of("comments", 900L, "videos", 100L), Map.of("comments_index", 100L), 800L, 150.0);
        PipelineSnapshot after = snapshot(10_000, Map.of("comments", 900L, "videos", 100L), Map.of("comments_index", 400L, "videos_index", 100L), 500L, 600.0);

        LoadProgress progress = LoadProgress.between(before, after);

        assertThat(progress.documentsPerSecond()).isEqualTo(40.0);
        assertThat(progress.left()).isEqualTo(Duration.ofSeconds(13));
        assertThat(progress.done()).isFalse();
        assertThat(progress.line()).isEqualTo("job read 600 changes, 500 to read · documents 500 of 1,000 (50.0%) · 40 docs/s · about 13 s left");
    }

    @Test
    void doneOnlyWhenEveryIndexIsFullAndTheJobHasReadEverything() {
        Map<String, Long> rows = Map.of("comments", 900L, "videos", 100L);
        Map<String, Long> full = Map.of("comments_index", 900L, "videos_index", 100L);
        PipelineSnapshot before = snapshot(0, rows, full, 0L, 1_000.0);

        assertThat(LoadProgress.between(before, snapshot(2_000, rows, full, 0L, 1_000.0)).done()).isTrue();
        assertThat(LoadProgress.between(before, snapshot(2_000, rows, full, 0L, 1_000.0)).line()).endsWith("0 docs/s · done");
        // Equal counts while the job still has the snapshot to read: not done.
        assertThat(LoadProgress.between(before, snapshot(2_000, rows, full, 5_000L, 1_000.0)).done()).isFalse();
        // Changes still flowing: 99% of each table, the job has read everything, no document came in since: done.
        Map<String, Long> near = Map.of("comments_index", 895L, "videos_index", 100L);
        assertThat(LoadProgress.between(snapshot(0, rows, near, 0L, 1_000.0), snapshot(2_000, rows, near, 10L, 1_000.0)).done()).isTrue();
        // ...but not while documents still come in (the snapshot's held documents being released).
        assertThat(LoadProgress.between(snapshot(0, rows, Map.of("comments_index", 890L, "videos_index", 100L), 0L, 1_000.0),
                snapshot(2_000, rows, near, 10L, 1_000.0)).done()).isFalse();
        // One index short of 99%, the other one over: the sums agree but the load is not done.
        assertThat(LoadProgress.between(before, snapshot(2_000, rows, Map.of("comments_index", 800L, "videos_index", 200L), 0L, 1_000.0)).done())
                .isFalse();
    }

    @Test
    void aJobRestoredWithNothingToReadReportsNoPendingRecordsItsGroupsLagStandsIn() {
        Map<String, Long> rows = Map.of("comments", 900L, "videos", 100L);
        Map<String, Long> full = Map.of("comments_index", 900L, "videos_index", 100L);

        assertThat(LoadProgress.between(snapshot(0, rows, full, null, 0.0, 0L), snapshot(2_000, rows, full, null, 0.0, 0L)).done()).isTrue();
        assertThat(LoadProgress.between(snapshot(0, rows, full, null, 0.0, null), snapshot(2_000, rows, full, null, 0.0, null)).done()).isFalse();
        assertThat(LoadProgress.between(snapshot(0, rows, full, null, 0.0, 5_000L), snapshot(2_000, rows, full, null, 0.0, 5_000L)).done()).isFalse();
    }

    @Test
    void anIndexWithMoreDocumentsThanRowsIsNamedWhenTheLoadIsDone() {
        Map<String, Long> rows = Map.of("comments", 900L, "videos", 100L);
        Map<String, Long> oneTooMany = Map.of("comments_index", 901L, "videos_index", 100L);

        LoadProgress progress = LoadProgress.between(snapshot(0, rows, oneTooMany, 0L, 1_000.0), snapshot(2_000, rows, oneTooMany, 0L, 1_000.0));

        assertThat(progress.done()).isTrue();
        assertThat(progress.surplusNotes()).containsExactly("comments_index holds 1 document more than PostgreSQL says it should: make verify names it");
        assertThat(LoadProgress.between(snapshot(0, rows, Map.of("comments_index", 900L, "videos_index", 100L), 0L, 1_000.0),
                snapshot(2_000, rows, Map.of("comments_index", 900L, "videos_index", 100L), 0L, 1_000.0)).surplusNotes()).isEmpty();
    }

    @Test
    void aFilteredIndexIsFullWhenItHoldsTheRowsPassingItsFilterNotItsTablesRows() {
        Map<String, Long> rows = Map.of("comments", 900L, "videos", 100L);
        Map<String, Long> documents = Map.of("comments_index", 600L, "videos_index", 100L);
        PipelineSnapshot.Postgres filtered = new PipelineSnapshot.Postgres("jdbc", rows, Map.of("comments_index", 600L), "slot", null, null);

        LoadProgress progress = LoadProgress.between(withPostgres(snapshot(0, rows, documents, 0L, 1_000.0), filtered),
                withPostgres(snapshot(2_000, rows, documents, 0L, 1_000.0), filtered));

        assertThat(progress.done()).isTrue();
        assertThat(progress.rows()).isEqualTo(700);
        assertThat(LoadProgress.between(snapshot(0, rows, documents, 0L, 1_000.0), snapshot(2_000, rows, documents, 0L, 1_000.0)).done())
                .as("without the filter, 600 of 900 comments is not full").isFalse();
    }

    static PipelineSnapshot withPostgres(PipelineSnapshot snapshot, PipelineSnapshot.Postgres postgres) {
        return new PipelineSnapshot(snapshot.takenAtMillis(), snapshot.indexTables(), postgres, snapshot.kafka(), snapshot.connect(), snapshot.openSearch(),
                snapshot.flink());
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(LoadProgress.human(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(LoadProgress.human(Duration.ofSeconds(92))).isEqualTo("1m 32s");
        assertThat(LoadProgress.human(Duration.ofSeconds(3_720))).isEqualTo("1h 02m");
    }

    static PipelineSnapshot snapshot(long at, Map<String, Long> rows, Map<String, Long> documents, Long pending, Double eventsIn) {
        return snapshot(at, rows, documents, pending, eventsIn, null);
    }

    static PipelineSnapshot snapshot(long at, Map<String, Long> rows, Map<String, Long> documents, Long pending, Double eventsIn, Long groupLag) {
        PipelineSnapshot.Figures figures = new PipelineSnapshot.Figures(eventsIn, null, null, null, null, pending == null ? null : pending.doubleValue());
        PipelineSnapshot.Job job = new PipelineSnapshot.Job("abc", "RUNNING", 4, 4, 0, null, figures, null);
        return new PipelineSnapshot(at, INDEXES, new PipelineSnapshot.Postgres("jdbc", rows, "slot", null, null),
                new PipelineSnapshot.Kafka("k", 1, "g", groupLag, null), new PipelineSnapshot.Connect("c", "postgres-connector", null, null, null),
                new PipelineSnapshot.OpenSearch("o", "green", documents, 0, null), new PipelineSnapshot.Flink("f", 1, 1, 0, 2, job, null));
    }
}
