package io.datasync.postgres.generate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.postgres.csv.SeedTable;
import io.datasync.postgres.generate.SeedGenerator.GeneratedCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedGeneratorTest {

    private static final GeneratorSettings SMALL = GeneratorSettings.forComments(42, 20_000);

    /**
     * Header-aware and strict about quotes, so an unquoted empty field (NULL) reads as null and a
     * quoted empty one as "".
     */
    private static final CSVFormat READ_FORMAT =
            CSVFormat.RFC4180.builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setQuoteMode(QuoteMode.ALL_NON_NULL)
                    .get();

    @TempDir static Path sharedDir;

    private static GeneratedCounts counts;
    private static List<CSVRecord> videos;
    private static List<CSVRecord> users;
    private static List<CSVRecord> comments;

    @BeforeAll
    static void generateOnce() throws IOException {
        counts = SeedGenerator.write(SMALL, sharedDir);
        videos = read(sharedDir, SeedTable.VIDEOS);
        users = read(sharedDir, SeedTable.USERS);
        comments = read(sharedDir, SeedTable.COMMENTS);
    }

    private static List<CSVRecord> read(Path dir, SeedTable table) throws IOException {
        try (CSVParser parser = CSVParser.parse(dir.resolve(table.fileName()), UTF_8, READ_FORMAT)) {
            assertThat(parser.getHeaderNames()).containsExactlyElementsOf(table.columnNames());
            return parser.getRecords();
        }
    }

    private static List<String> column(List<CSVRecord> records, String name) {
        return records.stream().map(r -> r.get(name)).toList();
    }

    private static <T> List<T> failing(List<T> values, Predicate<T> ok) {
        return values.stream().filter(ok.negate()).toList();
    }

    private static double share(List<String> values, Predicate<String> test) {
        return values.stream().filter(test).count() / (double) values.size();
    }

    private static Map<String, Integer> occurrences(List<String> values) {
        Map<String, Integer> counts = new TreeMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }

    private static boolean hasNonAscii(String text) {
        return text.chars().anyMatch(c -> c > 0x7F);
    }

    @Test
    void headerRowsAreExactAndRecordsEndWithLf() throws IOException {
        for (SeedTable table : SeedTable.values()) {
            String content = Files.readString(sharedDir.resolve(table.fileName()), UTF_8);
            assertThat(content.substring(0, content.indexOf('\n')))
                    .as(table.fileName())
                    .isEqualTo(String.join(",", table.columnNames()));
            assertThat(content).as(table.fileName()).endsWith("\n").doesNotEndWith("\r\n");
        }
    }

    @Test
    void writesExactlyTheRowCountsOfTheSettings() {
        assertThat(SMALL).isEqualTo(new GeneratorSettings(42, 20_000, 182, 15_651));
        assertThat(counts).isEqualTo(new GeneratedCounts(182, 15_651, 20_000));
        assertThat(videos).hasSize(counts.rows(SeedTable.VIDEOS));
        assertThat(users).hasSize(counts.rows(SeedTable.USERS));
        assertThat(comments).hasSize(counts.rows(SeedTable.COMMENTS));
    }

    @Test
    void sameSettingsGiveByteIdenticalFilesAndAnotherSeedDoesNot(@TempDir Path dir)
            throws IOException {
        // Nested, missing directories: write() creates them.
        Path again = dir.resolve("again/out");
        Path otherSeed = dir.resolve("other-seed");
        SeedGenerator.write(SMALL, again);
        SeedGenerator.write(GeneratorSettings.forComments(43, 20_000), otherSeed);

        for (SeedTable table : SeedTable.values()) {
            byte[] first = Files.readAllBytes(sharedDir.resolve(table.fileName()));
            assertThat(Files.readAllBytes(again.resolve(table.fileName())))
                    .as(table.fileName())
                    .isEqualTo(first);
            assertThat(Arrays.equals(Files.readAllBytes(otherSeed.resolve(table.fileName())), first))
                    .as(table.fileName() + " differs for another seed")
                    .isFalse();
        }
    }

    @Test
    void idsAreUniqueAndShapedLikeYouTubeIds() {
        assertIdsUniqueAndMatching(column(videos, "video_id"), "[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]");
        assertIdsUniqueAndMatching(column(users, "channel_id"), "UC[A-Za-z0-9_-]{21}[AQgw]");
        assertIdsUniqueAndMatching(column(comments, "comment_id"), "Ug[wxyz][A-Za-z0-9_-]{16}4AaABAg");
    }

    private static void assertIdsUniqueAndMatching(List<String> ids, String regex) {
        Pattern pattern = Pattern.compile(regex);
        assertThat(failing(ids, id -> pattern.matcher(id).matches())).isEmpty();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void everyCommentReferencesAnExistingVideoAndUser() {
        Set<String> videoIds = new HashSet<>(column(videos, "video_id"));
        Set<String> userIds = new HashSet<>(column(users, "channel_id"));
        assertThat(failing(column(comments, "video_id"), videoIds::contains)).isEmpty();
        assertThat(failing(column(comments, "channel_id"), userIds::contains)).isEmpty();
    }

    @Test
    void everyVideoAndUserHasAComment() {
        // Set equality: ids are unique (tested above), and it stays fast for 15K users.
        assertThat(new HashSet<>(column(comments, "video_id")))
                .isEqualTo(new HashSet<>(column(videos, "video_id")));
        assertThat(new HashSet<>(column(comments, "channel_id")))
                .isEqualTo(new HashSet<>(column(users, "channel_id")));
    }

    @Test
    void commentsPerVideoAndPerUserAreSkewed() {
        int[] perVideo = sortedCounts(column(comments, "video_id"));
        int median = perVideo[perVideo.length / 2];
        assertThat(perVideo[perVideo.length - 1]).isGreaterThanOrEqualTo(20 * median);

        int[] perUser = sortedCounts(column(comments, "channel_id"));
        long atMostTwo = Arrays.stream(perUser).filter(n -> n <= 2).count();
        assertThat(atMostTwo / (double) perUser.length).isGreaterThan(0.9);
        assertThat(perUser[perUser.length - 1]).as("busiest user").isGreaterThanOrEqualTo(10);
    }

    private static int[] sortedCounts(List<String> keys) {
        return occurrences(keys).values().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    @Test
    void commentsOfOneVideoAreSpreadAcrossTheFile() {
        List<String> videoOfComment = column(comments, "video_id");
        String top =
                occurrences(videoOfComment).entrySet().stream()
                        .max(Map.Entry.comparingByValue())
                        .orElseThrow()
                        .getKey();
        int size = videoOfComment.size();
        assertThat(videoOfComment.indexOf(top)).isLessThan(size / 20);
        assertThat(videoOfComment.lastIndexOf(top)).isGreaterThan(size - size / 20);
    }

    @Test
    void commentTextIsMessyLikeRealComments() {
        List<String> texts = column(comments, "comment_text");
        assertThat(failing(texts, t -> t != null && !t.isBlank())).isEmpty();
        assertThat(failing(texts, t -> t.indexOf('\0') < 0)).isEmpty();

        assertThat(share(texts, t -> t.contains("\n"))).isBetween(0.03, 0.08);
        assertThat(texts).anyMatch(t -> t.contains("\r\n"));
        assertThat(share(texts, SeedGeneratorTest::hasNonAscii)).isBetween(0.07, 0.15);
        assertThat(texts)
                .anyMatch(t -> t.contains("\uD83D\uDC4D\uD83C\uDFFD")) // thumbs up, skin tone
                .anyMatch(t -> t.contains("\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"))
                .anyMatch(t -> t.contains(","))
                .anyMatch(t -> t.contains("\""));

        int[] words = texts.stream().mapToInt(t -> t.split("\\s+").length).sorted().toArray();
        assertThat(words[words.length / 2]).as("median words").isBetween(4, 15);
        assertThat(words[words.length - 1]).as("most words").isBetween(50, 70);
    }

    @Test
    void titlesAndChannelNamesMixScripts() {
        List<String> titles = column(videos, "title");
        List<String> names = column(users, "channel_name");
        assertThat(failing(titles, t -> t != null && !t.isBlank())).isEmpty();
        assertThat(failing(names, n -> n != null && !n.isBlank())).isEmpty();
        assertThat(titles).anyMatch(SeedGeneratorTest::hasNonAscii);
        assertThat(names)
                .anyMatch(SeedGeneratorTest::hasNonAscii)
                .anyMatch(n -> n.startsWith("@"))
                .anyMatch(n -> !n.startsWith("@") && !hasNonAscii(n));
    }

    @Test
    void nullableColumnsHoldNullsWrittenAsUnquotedEmptyFields() {
        List<String> categories = column(videos, "category");
        assertThat(categories).contains((String) null).doesNotContain("");
        assertThat(share(categories, c -> c == null)).isLessThan(0.06);
        assertThat(failing(categories, c -> c == null || YOUTUBE_CATEGORIES.contains(c))).isEmpty();

        List<String> countries = column(comments, "country_code");
        assertThat(countries).doesNotContain("");
        assertThat(share(countries, c -> c == null)).isBetween(0.32, 0.38);
        assertThat(failing(countries, c -> c == null || c.matches("[A-Z]{2}"))).isEmpty();
    }

    @Test
    void aFewCommentsAreSoftDeletedAfterTheyWerePublished() {
        List<CSVRecord> deleted = comments.stream().filter(c -> c.get("deleted_at") != null).toList();
        assertThat(deleted.size() / (double) comments.size()).isBetween(0.015, 0.025);
        // Fixed-width timestamps order as text.
        assertThat(failing(deleted, c -> c.get("deleted_at").compareTo(c.get("published_at")) >= 0
                && c.get("deleted_at").matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"))).isEmpty();
    }

    private static final Set<String> YOUTUBE_CATEGORIES =
            Set.of(
                    "Music", "Gaming", "Entertainment", "News & Politics", "Education", "Comedy",
                    "Sports", "Science & Technology", "People & Blogs", "Howto & Style",
                    "Film & Animation");

    @Test
    void scalarColumnsHaveRealisticRanges() {
        List<Integer> likes = column(comments, "likes").stream().map(Integer::valueOf).toList();
        assertThat(likes).allMatch(n -> n >= 0);
        assertThat(likes.stream().filter(n -> n <= 5).count() / (double) likes.size())
                .isGreaterThan(0.75);
        assertThat(likes).anyMatch(n -> n >= 1000);

        List<Integer> replies = column(comments, "replies").stream().map(Integer::valueOf).toList();
        assertThat(replies).allMatch(n -> n >= 0 && n <= 50).anyMatch(n -> n >= 20);
        assertThat(replies.stream().filter(n -> n == 0).count() / (double) replies.size())
                .isGreaterThan(0.7);

        List<String> published = column(comments, "published_at");
        Pattern timestamp = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        assertThat(failing(published, p -> timestamp.matcher(p).matches())).isEmpty();
        // The fixed-width format orders as text.
        assertThat(published)
                .allMatch(p -> p.compareTo("2020-01-01 00:00:00") >= 0)
                .allMatch(p -> p.compareTo("2025-06-30 23:59:59") <= 0);

        assertThat(new TreeMap<>(occurrences(column(comments, "sentiment_label"))).keySet())
                .containsExactly("Negative", "Neutral", "Positive");
    }

    @Nested
    class Settings {

        @Test
        void seedSizeMatchesTheRealSeed() {
            assertThat(GeneratorSettings.seedSize(7))
                    .isEqualTo(new GeneratorSettings(7, 500_000, 4_560, 391_277))
                    .isEqualTo(GeneratorSettings.forComments(7, 500_000));
        }

        @Test
        void forCommentsScalesVideosAndUsersProportionally() {
            assertThat(GeneratorSettings.forComments(1, 20_000))
                    .isEqualTo(new GeneratorSettings(1, 20_000, 182, 15_651));
            assertThat(GeneratorSettings.forComments(1, 1_000_000))
                    .isEqualTo(new GeneratorSettings(1, 1_000_000, 9_120, 782_554));
            // Tiny sizes still get one video and never more users than comments.
            assertThat(GeneratorSettings.forComments(1, 1))
                    .isEqualTo(new GeneratorSettings(1, 1, 1, 1));
            assertThat(GeneratorSettings.forComments(1, 50))
                    .isEqualTo(new GeneratorSettings(1, 50, 1, 39));
            for (int comments = 1; comments <= 3_000; comments++) {
                GeneratorSettings s = GeneratorSettings.forComments(1, comments);
                assertThat(s.videos()).isBetween(1, comments);
                assertThat(s.users()).isBetween(1, comments);
            }
        }

        @Test
        void rejectsImpossibleSettings() {
            assertThatThrownBy(() -> new GeneratorSettings(1, 0, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("comments must be at least 1, was 0");
            assertThatThrownBy(() -> new GeneratorSettings(1, 10, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("videos must be at least 1, was 0");
            assertThatThrownBy(() -> new GeneratorSettings(1, 10, 1, -3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("users must be at least 1, was -3");
            assertThatThrownBy(() -> new GeneratorSettings(1, 10, 11, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("videos (11) must not exceed comments (10)");
            assertThatThrownBy(() -> new GeneratorSettings(1, 10, 1, 11))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("users (11) must not exceed comments (10)");
            assertThatThrownBy(() -> GeneratorSettings.forComments(1, -5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("comments must be at least 1, was -5");
        }

        @Test
        void smallestValidSettingsStillWriteEveryTable(@TempDir Path dir) throws IOException {
            GeneratedCounts written = SeedGenerator.write(new GeneratorSettings(3, 1, 1, 1), dir);
            assertThat(written).isEqualTo(new GeneratedCounts(1, 1, 1));
            assertThat(read(dir, SeedTable.COMMENTS)).hasSize(1);
        }
    }
}
