package io.datasync.postgres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.testing.Shell;
import io.datasync.testing.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The make targets as a user runs them, in order: start → health → stop → start keeps data →
 * reset restores the baseline. Uses the shipped sample and a state folder and port of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MakeTargetsIT {
    private static final TestStack STACK = TestStack.create("make");

    @AfterAll
    static void stopAndWipe() {
        STACK.close();
    }

    @Test
    @Order(1)
    void startInitializesTheServerAndLoadsTheData() throws SQLException {
        Shell.Result result = make("start", "DATA_DIR=postgres/sample").orThrow();

        assertThat(result.output()).contains("PostgreSQL up").contains("loaded videos ");
        assertThat(count("comments")).isEqualTo(sampleComments());
    }

    @Test
    @Order(2)
    void healthReportsReadyForChangeDataCapture() {
        Shell.Result result = make("health").orThrow();

        assertThat(result.output()).contains("postgres: up").contains("ok   wal_level is logical").contains("healthy");
        assertThat(result.output()).doesNotContain("FAIL");
    }

    @Test
    @Order(3)
    void inspectTargetsShowSchemaAndData() {
        assertThat(make("inspect-schema").orThrow().output())
                .contains("Table public.comments")
                .contains("FOREIGN KEY (video_id) REFERENCES videos(video_id) ON DELETE CASCADE")
                .contains("comments_set_updated_at");
        assertThat(make("inspect-data").orThrow().output()).contains("Row counts").contains("Videos with the most comments");
    }

    @Test
    @Order(4)
    void stopThenStartKeepsTheData() throws SQLException {
        execute("INSERT INTO videos (video_id, title) VALUES ('kept-video', 'survives a restart')");

        assertThat(make("stop").orThrow().output()).contains("PostgreSQL stopped");
        assertThat(make("health").exitCode()).isNotZero();
        assertThat(make("start", "DATA_DIR=postgres/sample").orThrow().output()).contains("nothing loaded");

        assertThat(count("videos WHERE video_id = 'kept-video'")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void resetWithoutConfirmationChangesNothing() throws SQLException {
        Shell.Result result = make("reset", "DATA_DIR=postgres/sample");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("CONFIRM=yes");
        assertThat(count("videos WHERE video_id = 'kept-video'")).isEqualTo(1);
    }

    @Test
    @Order(6)
    void resetRestoresTheBaseline() throws SQLException {
        long baselineVideos = count("videos") - 1;

        make("reset", "DATA_DIR=postgres/sample", "CONFIRM=yes").orThrow();

        assertThat(count("videos WHERE video_id = 'kept-video'")).isZero();
        assertThat(count("videos")).isEqualTo(baselineVideos);
        assertThat(count("comments")).isEqualTo(sampleComments());
    }

    private static Shell.Result make(String... args) {
        return STACK.make(args);
    }

    /** Records, not lines: a comment may span lines. */
    private static long sampleComments() {
        try (var in = Files.newBufferedReader(STACK.root().resolve("postgres/sample/comments.csv"));
                var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            return parser.stream().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(String tableAndCondition) throws SQLException {
        try (Connection c = STACK.connect(); Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM " + tableAndCondition)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = STACK.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
