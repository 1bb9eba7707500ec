package io.datasync.postgres.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedCsvReaderTest {
    private static final String COMMENTS_HEADER =
            "comment_id,video_id,channel_id,comment_text,likes,replies,published_at,sentiment_label,country_code\n";

    @TempDir
    Path dir;

    @Test
    void readsQuotedCommasQuotesLineBreaksAndUnicode() throws Exception {
        Path file = write("comments.csv", COMMENTS_HEADER
                + "c1,v1,u1,\"plain, with comma\",3,0,2024-01-02 03:04:05,Positive,US\n"
                + "c2,v1,u1,\"she said \"\"wow\"\"\nsecond line\r\nthird 👍🏽 日本語 مرحبا\",0,1,2024-01-02T03:04:05Z,Negative,\n"
                + "c3,v2,u2,\"\",,,,,\n");

        List<CsvRow> rows = readAll(file, SeedTable.COMMENTS);

        assertThat(rows).extracting(CsvRow::line).containsExactly(2L, 3L, 6L);
        assertThat(rows.get(0).values()).containsExactly("c1", "v1", "u1", "plain, with comma", "3", "0", "2024-01-02 03:04:05", "Positive", "US");
        assertThat(rows.get(1).values().get(3)).isEqualTo("she said \"wow\"\nsecond line\r\nthird 👍🏽 日本語 مرحبا");
        assertThat(rows.get(1).values().get(6)).isEqualTo("2024-01-02 03:04:05");
        assertThat(rows.get(1).values().get(8)).isNull();
        // An empty comment text is the empty string (NOT NULL column); empty nullable fields are NULL.
        assertThat(rows.get(2).values()).containsExactly("c3", "v2", "u2", "", null, null, null, null, null);
    }

    @Test
    void acceptsByteOrderMarkCrlfAndTrailingBlankLine() throws Exception {
        Path file = write("videos.csv", "\uFEFFvideo_id,title,category\r\nv1,\"Title, one\",Music\r\nv2,Two,\r\n\r\n");

        List<CsvRow> rows = readAll(file, SeedTable.VIDEOS);

        assertThat(rows).extracting(CsvRow::values).containsExactly(
                Arrays.asList("v1", "Title, one", "Music"), Arrays.asList("v2", "Two", null));
    }

    @Test
    void convertsTimestampsWithOffsetToUtcAndKeepsMicroseconds() throws Exception {
        Path file = write("comments.csv", COMMENTS_HEADER
                + "c1,v1,u1,t,0,0,2024-01-02T03:04:05+02:00,,\n"
                + "c2,v1,u1,t,0,0,2024-01-02 03:04:05.123456,,\n");

        assertThat(readAll(file, SeedTable.COMMENTS)).extracting(row -> row.values().get(6))
                .containsExactly("2024-01-02 01:04:05", "2024-01-02 03:04:05.123456");
    }

    @Test
    void rejectsWrongHeader() throws Exception {
        Path file = write("users.csv", "channel_id,name\nu1,Ann\n");

        assertThatThrownBy(() -> readAll(file, SeedTable.USERS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessage("users.csv line 1: header is [channel_id, name], expected [channel_id, channel_name]");
    }

    @Test
    void readsCommentsWithOrWithoutTheOptionalDeletedAt() throws Exception {
        Path withColumn = write("comments.csv", COMMENTS_HEADER.replace("\n", ",deleted_at\n")
                + "c1,v1,u1,t,0,0,2024-01-02 03:04:05,,,2024-02-01T00:00:00Z\n"
                + "c2,v1,u1,t,0,0,2024-01-02 03:04:05,,,\n");
        try (SeedCsvReader reader = SeedCsvReader.open(withColumn, SeedTable.COMMENTS)) {
            assertThat(reader.columns()).extracting(SeedTable.Column::name).endsWith("country_code", "deleted_at");
        }
        assertThat(readAll(withColumn, SeedTable.COMMENTS)).extracting(row -> row.values().get(9)).containsExactly("2024-02-01 00:00:00", null);

        // The original seed's file ends at country_code: it reads as before and the loader leaves deleted_at NULL.
        Path without = write("comments.csv", COMMENTS_HEADER + "c1,v1,u1,t,0,0,2024-01-02 03:04:05,,\n");
        try (SeedCsvReader reader = SeedCsvReader.open(without, SeedTable.COMMENTS)) {
            assertThat(reader.columns()).extracting(SeedTable.Column::name).doesNotContain("deleted_at").endsWith("country_code");
            assertThat(reader.next().values()).hasSize(9);
        }
    }

    @Test
    void rejectsAHeaderMissingARequiredColumnNamingTheOptionalOnes() throws Exception {
        Path file = write("comments.csv", "comment_id,video_id,channel_id,comment_text,likes,replies,published_at,sentiment_label\n");

        assertThatThrownBy(() -> readAll(file, SeedTable.COMMENTS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageEndingWith("expected [comment_id, video_id, channel_id, comment_text, likes, replies, published_at, sentiment_label, country_code],"
                        + " optionally followed by [deleted_at]");
        Path rowTooShort = write("comments.csv", COMMENTS_HEADER.replace("\n", ",deleted_at\n") + "c1,v1,u1,t,0,0,,,\n");
        assertThatThrownBy(() -> readAll(rowTooShort, SeedTable.COMMENTS)).hasMessage("comments.csv line 2: expected 10 fields, found 9");
    }

    @Test
    void rejectsEmptyFile() throws Exception {
        Path file = write("users.csv", "");

        assertThatThrownBy(() -> readAll(file, SeedTable.USERS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageStartingWith("users.csv line 1: the file is empty");
    }

    @Test
    void reportsTheLineWhereAShortRecordStartsAfterAMultiLineRecord() throws Exception {
        Path file = write("videos.csv", "video_id,title,category\nv1,\"two\nlines\",Music\nv2,missing category\n");

        assertThatThrownBy(() -> readAll(file, SeedTable.VIDEOS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessage("videos.csv line 4: expected 3 fields, found 2")
                .satisfies(e -> assertThat(((MalformedCsvException) e).line()).isEqualTo(4));
    }

    @Test
    void rejectsUnterminatedQuote() throws Exception {
        Path file = write("videos.csv", "video_id,title,category\nv1,ok,Music\nv2,\"never closed,Music\nv3,x,y\n");

        assertThatThrownBy(() -> readAll(file, SeedTable.VIDEOS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageStartingWith("videos.csv line 3: not valid CSV");
    }

    @Test
    void rejectsTextAfterAClosingQuote() throws Exception {
        Path file = write("videos.csv", "video_id,title,category\nv1,\"quoted\"tail,Music\n");

        assertThatThrownBy(() -> readAll(file, SeedTable.VIDEOS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessageStartingWith("videos.csv line 2: not valid CSV");
    }

    @Test
    void rejectsBytesThatAreNotUtf8() throws Exception {
        Path file = dir.resolve("users.csv");
        byte[] head = "channel_id,channel_name\nu1,Ann\nu2,".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = {(byte) 0xE9, 't', 'e', '\n'};
        Files.write(file, concat(head, latin1));

        assertThatThrownBy(() -> readAll(file, SeedTable.USERS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessage("users.csv line 3: channel_name is not valid UTF-8");
    }

    @Test
    void rejectsNulCharacter() throws Exception {
        Path file = write("users.csv", "channel_id,channel_name\nu1,An\0n\n");

        assertThatThrownBy(() -> readAll(file, SeedTable.USERS))
                .isInstanceOf(MalformedCsvException.class)
                .hasMessage("users.csv line 2: channel_name contains a NUL character, which PostgreSQL text cannot hold");
    }

    @Test
    void rejectsEmptyKeyBadIntegerAndBadTimestampNamingTheColumn() throws Exception {
        assertThatThrownBy(() -> readAll(write("comments.csv", COMMENTS_HEADER + ",v1,u1,t,0,0,,,\n"), SeedTable.COMMENTS))
                .hasMessage("comments.csv line 2: comment_id is empty");
        assertThatThrownBy(() -> readAll(write("comments.csv", COMMENTS_HEADER + "c1,v1,u1,t,many,0,,,\n"), SeedTable.COMMENTS))
                .hasMessage("comments.csv line 2: likes is not an integer: 'many'");
        assertThatThrownBy(() -> readAll(write("comments.csv", COMMENTS_HEADER + "c1,v1,u1,t,1,0,yesterday,,\n"), SeedTable.COMMENTS))
                .hasMessageStartingWith("comments.csv line 2: published_at is not a timestamp");
        assertThatThrownBy(() -> readAll(write("comments.csv", COMMENTS_HEADER + "c1,,u1,t,1,0,,,\n"), SeedTable.COMMENTS))
                .hasMessage("comments.csv line 2: video_id is empty");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<CsvRow> readAll(Path file, SeedTable table) throws IOException, MalformedCsvException {
        List<CsvRow> rows = new ArrayList<>();
        try (SeedCsvReader reader = SeedCsvReader.open(file, table)) {
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
