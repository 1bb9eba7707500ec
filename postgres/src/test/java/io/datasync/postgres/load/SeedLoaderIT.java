package io.datasync.postgres.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.postgres.csv.MalformedCsvException;
import io.datasync.postgres.csv.SeedTable;
import io.datasync.postgres.db.Schema;
import io.datasync.testing.ProjectRoot;
import io.datasync.testing.TestStack;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the sample shipped in the repo into a real PostgreSQL. */
class SeedLoaderIT {
    static final Path SAMPLE = ProjectRoot.get().resolve("postgres/sample");

    private final List<String> progress = new ArrayList<>();
    private final SeedLoader loader = new SeedLoader(progress::add);
    private Connection connection;

    @TempDir
    Path dir;

    @BeforeEach
    void emptySchema() throws SQLException {
        connection = TestStack.shared(TestStack.Service.POSTGRES).connect();
        Schema.drop(connection);
        Schema.apply(connection);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void loadsEveryRowOfTheSampleExactlyAsWritten() throws Exception {
        LoadReport report = loader.load(connection, SAMPLE);

        for (SeedTable table : SeedTable.values()) {
            List<List<String>> expected = csvRecords(SAMPLE.resolve(table.fileName()));
            List<List<String>> actual = tableRows(table);
            assertThat(actual).as(table.tableName()).hasSize(expected.size()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(report.rowsByTable()).containsEntry(table, (long) expected.size());
        }
        assertThat(progress).anyMatch(line -> line.startsWith("comments: ") && line.contains("rows copied"));
    }

    @Test
    void everyCommentPointsAtAnExistingVideoAndUser() throws Exception {
        loader.load(connection, SAMPLE);

        assertThat(scalar("SELECT count(*) FROM comments c LEFT JOIN videos v USING (video_id) WHERE v.video_id IS NULL")).isZero();
        assertThat(scalar("SELECT count(*) FROM comments c LEFT JOIN users u USING (channel_id) WHERE u.channel_id IS NULL")).isZero();
        assertThat(scalar("SELECT count(*) FROM comments WHERE comment_text LIKE '%' || chr(10) || '%'")).isPositive();
        assertThat(scalar("SELECT count(*) FROM comments WHERE comment_text ~ '[^\\x01-\\x7F]'")).isPositive();
    }

    @Test
    void aMalformedRowNearTheEndLoadsNothingAndNamesFileAndLine() throws Exception {
        copySample();
        Path comments = dir.resolve("comments.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(comments, StandardCharsets.UTF_8));
        lines.add("broken-id,only-two-fields");
        Files.write(comments, lines, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> loader.load(connection, dir))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessage("comments.csv line " + lines.size() + ": expected 10 fields, found 2");
        assertThat(SeedLoader.countRows(connection)).containsOnly(
                Map.entry(SeedTable.VIDEOS, 0L), Map.entry(SeedTable.USERS, 0L), Map.entry(SeedTable.COMMENTS, 0L));
    }

    @Test
    void aCommentOnAnUnknownVideoLoadsNothing() throws Exception {
        copySample();
        Path comments = dir.resolve("comments.csv");
        Files.writeString(comments, "orphan-comment,no-such-video,no-such-user,hello,0,0,,,,\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> loader.load(connection, dir))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining("video_id 'no-such-video' is not in videos.csv");
        assertThat(scalar("SELECT count(*) FROM videos")).isZero();
    }

    @Test
    void aCommentsFileWithoutDeletedAtLoadsItAsNull() throws Exception {
        copySample();
        // The sample's comments as the original seed has them: no deleted_at column.
        List<List<String>> original = csvRecords(SAMPLE.resolve("comments.csv"));
        assertThat(original).anyMatch(row -> !row.get(9).isEmpty());
        try (var out = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get().print(dir.resolve("comments.csv"), StandardCharsets.UTF_8)) {
            out.printRecord(SeedTable.COMMENTS.columnNames().subList(0, 9));
            for (List<String> row : original) {
                out.printRecord(row.subList(0, 9));
            }
        }

        loader.load(connection, dir);

        assertThat(scalar("SELECT count(*) FROM comments")).isEqualTo(original.size());
        assertThat(scalar("SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL")).isZero();
    }

    @Test
    void refusesToLoadOverExistingRows() throws Exception {
        loader.load(connection, SAMPLE);

        assertThatThrownBy(() -> loader.load(connection, SAMPLE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already holds rows");
    }

    @Test
    void namesMissingFiles() {
        assertThatThrownBy(() -> loader.load(connection, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data folder " + dir + " lacks videos.csv, users.csv, comments.csv");
    }

    private void copySample() throws IOException {
        for (SeedTable table : SeedTable.values()) {
            Files.copy(SAMPLE.resolve(table.fileName()), dir.resolve(table.fileName()));
        }
    }

    /** The CSV as an independent parser reads it, with empty fields as the loader stores them. */
    private static List<List<String>> csvRecords(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
        }
        return rows;
    }

    /** Rows with columns in file order, NULL as the empty field it came from, timestamps as written. */
    private List<List<String>> tableRows(SeedTable table) throws SQLException {
        List<String> columns = table.columnNames().stream()
                .map(c -> c.equals("published_at") || c.equals("deleted_at") ? "to_char(" + c + ", 'YYYY-MM-DD HH24:MI:SS')" : c)
                .map(c -> "coalesce(" + c + "::text, '')")
                .toList();
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table.tableName())) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private long scalar(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
