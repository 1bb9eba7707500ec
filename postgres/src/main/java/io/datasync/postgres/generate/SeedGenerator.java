package io.datasync.postgres.generate;

import io.datasync.postgres.csv.SeedTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * Writes a synthetic stand-in for the seed data set (videos.csv, users.csv, comments.csv) with
 * the real seed's shape: every video and user has a comment, comments per video follow a
 * Zipf-like law, most users comment once or twice, and the text is messy (commas, quotes, line
 * breaks, non-ASCII, multi-codepoint emoji) the way real comments are.
 *
 * <p>Deterministic: the same {@link GeneratorSettings} give byte-identical files on any JVM,
 * locale or time zone. All randomness comes from one {@link SplittableRandom} seeded from the
 * settings, floating point goes through {@link StrictMath}, and no hash-ordered collection is
 * iterated.
 *
 * <p>CSV dialect ({@link #CSV_FORMAT}): RFC 4180 quoting, UTF-8 without BOM, a header row with
 * {@link SeedTable#columnNames()}. A field is quoted only when it must be (comma, quote, CR or LF
 * inside, or a leading character commons-csv plays safe with). Records end with LF rather than
 * RFC 4180's CRLF: line tools (wc, head, diff) then read the files naturally, a CRLF inside a
 * quoted comment stays distinguishable from a record end, and both PostgreSQL's {@code COPY ...
 * CSV} and commons-csv accept LF. NULL is an empty unquoted field; non-null text is never empty.
 */
public final class SeedGenerator {

    /** Raised when the same settings give other files (2: comments gained deleted_at), so cached sets are made again. */
    public static final int VERSION = 2;

    /** The dialect of every file written; see the class comment. */
    public static final CSVFormat CSV_FORMAT =
            CSVFormat.RFC4180.builder()
                    .setRecordSeparator('\n')
                    .setQuoteMode(QuoteMode.MINIMAL)
                    .get();

    /** Rows written per table. */
    public record GeneratedCounts(int videos, int users, int comments) {
        public int rows(SeedTable table) {
            return switch (table) {
                case VIDEOS -> videos;
                case USERS -> users;
                case COMMENTS -> comments;
            };
        }
    }

    // Videos: weight of rank k (1-based) is (k - 0.5)^-0.7. At seed size the top video gets
    // ~20K comments and the median ~60; the -0.5 offset keeps the head steep enough that even a
    // 20K-comment sample has a top video well above 20x the median.
    private static final double VIDEO_ZIPF_EXPONENT = 0.7;
    private static final double VIDEO_ZIPF_OFFSET = -0.5;
    // Users: a flatter law over ~1.3 comments per user. At seed size ~96% write one or two
    // comments and a dozen or so write dozens.
    private static final double USER_ZIPF_EXPONENT = 0.5;
    private static final double USER_ZIPF_OFFSET = 0.0;

    private static final long FIRST_SECOND = utcSecond(LocalDateTime.of(2020, 1, 1, 0, 0));
    private static final long END_SECOND = utcSecond(LocalDateTime.of(2025, 7, 1, 0, 0));
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

    private static final double NULL_CATEGORY_SHARE = 0.02;
    private static final double NULL_COUNTRY_SHARE = 0.35;
    // Soft-deleted comments (deleted_at set): the default sync spec gives them no document.
    private static final double SOFT_DELETED_SHARE = 0.02;
    private static final double MULTI_LINE_SHARE = 0.05;
    private static final double NON_ASCII_SHARE = 0.10;
    private static final double QUOTED_SPAN_SHARE = 0.06;
    private static final int MAX_WORDS = 60;
    private static final double LIKES_TAIL = 1.05;
    private static final int MAX_LIKES = 250_000;

    private static final char[] BASE64URL =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private SeedGenerator() {}

    /**
     * Writes the three files into {@code outDir} (created if missing; existing files replaced).
     */
    public static GeneratedCounts write(GeneratorSettings settings, Path outDir) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Files.createDirectories(outDir);

        // One independent stream per concern, split in a fixed order, so tweaking the text of
        // one table does not reshuffle the others.
        SplittableRandom root = new SplittableRandom(settings.seed());
        IdSalts videoSalts = IdSalts.next(root);
        IdSalts userSalts = IdSalts.next(root);
        IdSalts commentSalts = IdSalts.next(root);
        SplittableRandom videoRandom = root.split();
        SplittableRandom userRandom = root.split();
        SplittableRandom assignRandom = root.split();
        SplittableRandom commentRandom = root.split();
        // Split last: the soft deletes came after the other columns and leave their values as they were.
        SplittableRandom deleteRandom = root.split();

        String[] videoIds = new String[settings.videos()];
        long[] videoLaunch = new long[settings.videos()];
        try (CSVPrinter out = printer(outDir, SeedTable.VIDEOS)) {
            for (int i = 0; i < videoIds.length; i++) {
                videoIds[i] = videoId(videoSalts, i);
                videoLaunch[i] = between(videoRandom, FIRST_SECOND, END_SECOND);
                String category = category(videoRandom);
                String title = Vocabulary.title(videoRandom, "Music".equals(category));
                out.printRecord(videoIds[i], title, category);
            }
        }

        String[] userIds = new String[settings.users()];
        try (CSVPrinter out = printer(outDir, SeedTable.USERS)) {
            for (int i = 0; i < userIds.length; i++) {
                userIds[i] = channelId(userSalts, i);
                out.printRecord(userIds[i], Vocabulary.channelName(userRandom));
            }
        }

        int[] videoOf =
                assign(
                        settings.comments(),
                        zipfCumulative(settings.videos(), VIDEO_ZIPF_EXPONENT, VIDEO_ZIPF_OFFSET),
                        assignRandom);
        int[] userOf =
                assign(
                        settings.comments(),
                        zipfCumulative(settings.users(), USER_ZIPF_EXPONENT, USER_ZIPF_OFFSET),
                        assignRandom);

        try (CSVPrinter out = printer(outDir, SeedTable.COMMENTS)) {
            for (int i = 0; i < videoOf.length; i++) {
                int video = videoOf[i];
                Sentiment sentiment = Sentiment.pick(commentRandom);
                // Drawn in column order, as before deleted_at existed, so every other value stays the same.
                String text = Vocabulary.commentText(commentRandom, sentiment);
                int likes = likes(commentRandom);
                int replies = replies(commentRandom);
                long published = publishedAfter(commentRandom, videoLaunch[video]);
                out.printRecord(
                        commentId(commentSalts, i),
                        videoIds[video],
                        userIds[userOf[i]],
                        text,
                        likes,
                        replies,
                        timestamp(published),
                        sentiment.label,
                        country(commentRandom),
                        deleteRandom.nextDouble() < SOFT_DELETED_SHARE ? timestamp(between(deleteRandom, published, END_SECOND)) : null);
            }
        }
        return new GeneratedCounts(videoIds.length, userIds.length, videoOf.length);
    }

    private static CSVPrinter printer(Path outDir, SeedTable table) throws IOException {
        BufferedWriter writer =
                new BufferedWriter(
                        new OutputStreamWriter(
                                Files.newOutputStream(outDir.resolve(table.fileName())),
                                StandardCharsets.UTF_8.newEncoder()),
                        1 << 16);
        try {
            CSVPrinter printer = new CSVPrinter(writer, CSV_FORMAT);
            printer.printRecord(table.columnNames());
            return printer;
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    // ---- which parent each comment belongs to ----

    /**
     * Cumulative weights of a Zipf–Mandelbrot law over {@code n} ranks: rank k (1-based) weighs
     * {@code (k + offset)^-exponent}.
     */
    static double[] zipfCumulative(int n, double exponent, double offset) {
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += StrictMath.pow(k + offset, -exponent);
            cumulative[k - 1] = sum;
        }
        return cumulative;
    }

    /** Index of the first cumulative weight above a uniform draw: a weighted pick in O(log n). */
    static int sample(double[] cumulative, SplittableRandom random) {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > target) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /**
     * The parent of each of {@code comments} comments: each parent once (so none is orphaned),
     * the rest drawn from the weights, then shuffled so a parent's comments spread across the file.
     */
    static int[] assign(int comments, double[] cumulative, SplittableRandom random) {
        int parents = cumulative.length;
        int[] parentOf = new int[comments];
        for (int i = 0; i < comments; i++) {
            parentOf[i] = i < parents ? i : sample(cumulative, random);
        }
        shuffle(parentOf, random);
        return parentOf;
    }

    private static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    // ---- ids ----

    /** Per-table salts: one makes the id sequence seed-specific, one feeds the id's free bits. */
    private record IdSalts(long key, long noise) {
        static IdSalts next(SplittableRandom random) {
            return new IdSalts(random.nextLong(), random.nextLong());
        }

        /** Distinct for distinct indexes: adding a constant and {@link #mix} are bijections. */
        long key(int index) {
            return mix(key + index);
        }

        long noise(int index) {
            return mix(noise + index);
        }
    }

    /**
     * A bijection on 64-bit values that scatters consecutive inputs (xor-shift and multiplication
     * by an odd constant are each invertible).
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 11 chars holding all 64 key bits; like YouTube's, the last char carries only 4 bits. */
    static String videoId(IdSalts salts, int index) {
        return base64Url(salts.key(index), 0, 11);
    }

    /** "UC" + 22 chars holding 128 bits, the first 64 the unique key, like a real channel id. */
    static String channelId(IdSalts salts, int index) {
        return "UC" + base64Url(salts.key(index), salts.noise(index), 22);
    }

    /** "Ug" + [wxyz] + 16 chars (the key and 32 noise bits) + "4AaABAg", like a real comment id. */
    static String commentId(IdSalts salts, int index) {
        long noise = salts.noise(index);
        return "Ug" + "wxyz".charAt((int) (noise & 3)) + base64Url(salts.key(index), noise, 16)
                + "4AaABAg";
    }

    /** The first {@code chars} 6-bit groups of the 128-bit value hi:lo, zero-padded past bit 128. */
    static String base64Url(long hi, long lo, int chars) {
        char[] out = new char[chars];
        for (int c = 0; c < chars; c++) {
            int group = 0;
            for (int bit = c * 6; bit < c * 6 + 6; bit++) {
                group = (group << 1) | bitAt(hi, lo, bit);
            }
            out[c] = BASE64URL[group];
        }
        return new String(out);
    }

    private static int bitAt(long hi, long lo, int bit) {
        if (bit < 64) {
            return (int) (hi >>> (63 - bit)) & 1;
        }
        return bit < 128 ? (int) (lo >>> (127 - bit)) & 1 : 0;
    }

    // ---- scalar columns ----

    private static final String[] CATEGORIES = {
        "Music", "Entertainment", "Gaming", "People & Blogs", "Comedy", "News & Politics",
        "Education", "Sports", "Science & Technology", "Howto & Style", "Film & Animation"
    };
    private static final WeightedChoice CATEGORY_WEIGHTS =
            new WeightedChoice(22, 18, 14, 10, 7, 7, 6, 6, 4, 3, 3);

    private static String category(SplittableRandom random) {
        if (random.nextDouble() < NULL_CATEGORY_SHARE) {
            return null;
        }
        return CATEGORIES[CATEGORY_WEIGHTS.pick(random)];
    }

    private static final String[] COUNTRIES = {
        "US", "IN", "GB", "BR", "DE", "JP", "CA", "MX", "FR", "ID", "PH", "KR", "ES", "AU", "PK",
        "NG", "EG", "TR", "RU", "IT", "VN", "SA", "AR", "TH", "PL"
    };
    private static final WeightedChoice COUNTRY_WEIGHTS =
            new WeightedChoice(
                    24, 17, 8, 7, 5, 5, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1);

    private static String country(SplittableRandom random) {
        if (random.nextDouble() < NULL_COUNTRY_SHARE) {
            return null;
        }
        return COUNTRIES[COUNTRY_WEIGHTS.pick(random)];
    }

    /** Pareto-tailed: about half get none, ~85% five or fewer, about 1 in 700 a thousand or more. */
    static int likes(SplittableRandom random) {
        double tail = 1.0 - random.nextDouble(); // in (0, 1], so the power stays finite
        double likes = StrictMath.pow(tail, -LIKES_TAIL) - 1;
        return (int) Math.min(MAX_LIKES, likes);
    }

    /** Mostly none; otherwise 1..50, skewed low. */
    static int replies(SplittableRandom random) {
        if (random.nextDouble() < 0.78) {
            return 0;
        }
        double u = random.nextDouble();
        return 1 + (int) (50 * u * u * u);
    }

    /** Comments bunch up soon after the video appears, with a long tail up to the window's end. */
    private static long publishedAfter(SplittableRandom random, long launch) {
        double u = random.nextDouble();
        return launch + (long) ((END_SECOND - 1 - launch) * (u * u * u));
    }

    private static String timestamp(long utcSecond) {
        return LocalDateTime.ofEpochSecond(utcSecond, 0, ZoneOffset.UTC).format(TIMESTAMP);
    }

    private static long utcSecond(LocalDateTime time) {
        return time.toEpochSecond(ZoneOffset.UTC);
    }

    /** Uniform in [from, until). */
    private static long between(SplittableRandom random, long from, long until) {
        return random.nextLong(from, until);
    }

    enum Sentiment {
        POSITIVE("Positive", Vocabulary.POSITIVE),
        NEUTRAL("Neutral", Vocabulary.NEUTRAL),
        NEGATIVE("Negative", Vocabulary.NEGATIVE);

        private static final WeightedChoice WEIGHTS = new WeightedChoice(45, 33, 22);
        private static final Sentiment[] VALUES = values();

        final String label;
        final String[] words;

        Sentiment(String label, String[] words) {
            this.label = label;
            this.words = words;
        }

        static Sentiment pick(SplittableRandom random) {
            return VALUES[WEIGHTS.pick(random)];
        }
    }

    /** A pick among a few options with integer weights (small lists: a linear scan is enough). */
    private static final class WeightedChoice {
        private final int[] cumulative;

        WeightedChoice(int... weights) {
            cumulative = new int[weights.length];
            int sum = 0;
            for (int i = 0; i < weights.length; i++) {
                sum += weights[i];
                cumulative[i] = sum;
            }
        }

        int pick(SplittableRandom random) {
            int target = random.nextInt(cumulative[cumulative.length - 1]);
            int i = 0;
            while (cumulative[i] <= target) {
                i++;
            }
            return i;
        }
    }

    // ---- text ----

    /** Word lists and the little grammars that turn them into titles, names and comments. */
    static final class Vocabulary {
        private Vocabulary() {}

        private static String[] words(String spaceSeparated) {
            return spaceSeparated.split(" ");
        }

        private static String pick(String[] options, SplittableRandom random) {
            return options[random.nextInt(options.length)];
        }

        // All ASCII: non-ASCII enters comments only through NON_ASCII and EMOJI, so its share
        // is controlled.
        static final String[] COMMON = words(
                "i i I this the the a a and and but so it it is is was that you you my we they he "
                + "she it's I'm don't can't just really literally actually still always never ever "
                + "even also only too very much more most like when who what why how where here "
                + "there now then after before every day night time years first last again "
                + "already one two part minute second people everyone nobody someone bro guys man "
                + "dude lol lmao omg tbh ngl imo fr yeah yes no okay please for from with without "
                + "about in on at of to up out back over watching listening watch listen made make "
                + "see saw know think feel felt got get go going come came remember miss need want "
                + "wish hope our your their this whole");
        static final String[] TOPIC = words(
                "song music beat voice guitar drums chorus lyrics album concert game level boss "
                + "player team goal match referee coach season episode movie scene ending trailer "
                + "character story recipe kitchen chef flavor tutorial lesson teacher code laptop "
                + "phone camera editing thumbnail subtitles intro outro channel creator upload "
                + "stream podcast interview news update price country city school exam video "
                + "comment 2019 2021 2023 2024");
        static final String[] POSITIVE = words(
                "amazing awesome beautiful incredible brilliant masterpiece legendary wholesome "
                + "helpful underrated perfect fantastic great best love loved favorite goosebumps "
                + "talented insane fire goat blessed thank thanks");
        static final String[] NEUTRAL = words(
                "interesting question anyway okay timestamp notification version translation "
                + "description which whether probably maybe honestly curious wondering noticed "
                + "similar different average normal");
        static final String[] NEGATIVE = words(
                "terrible boring worst clickbait disappointed annoying overrated cringe waste awful "
                + "misleading unfair broken trash horrible fake lazy ruined unsubscribed disliked");

        static final String[] NON_ASCII = {
            "café", "increíble", "canción", "ótimo", "música", "très bien", "schön", "größte",
            "naïve", "niño", "São Paulo", "ελπίδα", "спасибо", "круто", "最高", "すごい", "かっこいい",
            "好听", "太棒了", "大好き", "대박", "최고예요", "사랑해요", "رائع", "ما شاء الله",
            "شكرا جزيلا", "बहुत अच्छा", "शानदार", "धन्यवाद", "ขอบคุณครับ", "Tuyệt vời", "harika",
            "güzel"
        };
        // Includes multi-codepoint sequences: skin-tone modifiers, ZWJ families, flags and
        // variation selectors, which naive code points/length handling tends to split.
        static final String[] EMOJI = {
            "😂", "🔥", "❤️", "👍🏽", "👨‍👩‍👧", "🇧🇷", "🙏🏾", "🥹", "💯", "😭", "✨", "🏳️‍🌈", "👏🏻",
            "🤣", "😍"
        };
        private static final String[] SENTENCE_ENDS = {".", "!", "?", "!!", "...", "!!!"};

        static String commentText(SplittableRandom random, Sentiment sentiment) {
            double u = random.nextDouble();
            // Cubed: most comments are short (median ~8 words), a few run to the maximum.
            int count = 1 + (int) ((MAX_WORDS - 1) * u * u * u);
            boolean multiLine = random.nextDouble() < MULTI_LINE_SHARE;
            boolean nonAscii = random.nextDouble() < NON_ASCII_SHARE;
            boolean quotedSpan = random.nextDouble() < QUOTED_SPAN_SHARE;
            boolean capitalized = random.nextDouble() < 0.6;
            if (multiLine) {
                count = Math.max(count, 2); // a line break needs two tokens
            }

            List<String> tokens = new ArrayList<>(count + 4);
            if (random.nextDouble() < 0.03) {
                tokens.add(random.nextInt(1, 12) + ":" + twoDigits(random.nextInt(60)));
            }
            for (int i = 0; i < count; i++) {
                tokens.add(word(random, sentiment));
            }
            if (nonAscii) {
                addNonAscii(tokens, random);
            }
            if (quotedSpan && tokens.size() >= 2) {
                quoteSpan(tokens, random);
            }
            return join(tokens, random, multiLine, capitalized);
        }

        private static String word(SplittableRandom random, Sentiment sentiment) {
            double r = random.nextDouble();
            if (r < 0.62) {
                return pick(COMMON, random);
            }
            return r < 0.82 ? pick(TOPIC, random) : pick(sentiment.words, random);
        }

        private static void addNonAscii(List<String> tokens, SplittableRandom random) {
            int fragments = random.nextInt(1, 4);
            for (int i = 0; i < fragments; i++) {
                String fragment =
                        random.nextBoolean() ? pick(NON_ASCII, random) : pick(EMOJI, random);
                tokens.add(random.nextInt(tokens.size() + 1), fragment);
            }
            if (random.nextBoolean()) {
                tokens.add(pick(EMOJI, random) + pick(EMOJI, random));
            }
        }

        /** Wraps one to three consecutive tokens in double quotes, as when citing a line. */
        private static void quoteSpan(List<String> tokens, SplittableRandom random) {
            int length = Math.min(tokens.size(), random.nextInt(1, 4));
            int from = random.nextInt(tokens.size() - length + 1);
            int to = from + length - 1;
            tokens.set(from, '"' + tokens.get(from));
            tokens.set(to, tokens.get(to) + '"');
        }

        private static String join(
                List<String> tokens, SplittableRandom random, boolean multiLine, boolean capitalized) {
            boolean[] breakBefore = new boolean[tokens.size()];
            if (multiLine) {
                int breaks = random.nextInt(1, 4);
                for (int b = 0; b < breaks; b++) {
                    breakBefore[random.nextInt(1, tokens.size())] = true;
                }
            }
            StringBuilder text = new StringBuilder();
            boolean sentenceStart = true;
            for (int i = 0; i < tokens.size(); i++) {
                if (i > 0) {
                    text.append(breakBefore[i] ? lineBreak(random) : " ");
                }
                String token = tokens.get(i);
                text.append(capitalized && sentenceStart ? capitalize(token) : token);
                sentenceStart = false;
                if (i < tokens.size() - 1) {
                    double r = random.nextDouble();
                    if (r < 0.07) {
                        text.append(',');
                    } else if (r < 0.17) {
                        text.append(pick(SENTENCE_ENDS, random));
                        sentenceStart = true;
                    }
                }
            }
            return text.toString();
        }

        private static String lineBreak(SplittableRandom random) {
            double r = random.nextDouble();
            if (r < 0.25) {
                return "\r\n"; // pasted from Windows clients
            }
            return r < 0.4 ? "\n\n" : "\n";
        }

        /** Upper-cases a leading ASCII letter only: locale-free, and leaves other scripts alone. */
        private static String capitalize(String token) {
            char first = token.charAt(0);
            if (first >= 'a' && first <= 'z') {
                return (char) (first - 'a' + 'A') + token.substring(1);
            }
            return token;
        }

        private static String twoDigits(int value) {
            return value < 10 ? "0" + value : Integer.toString(value);
        }

        // ---- titles ----

        private static final String[] ARTISTS = {
            "Luna Vale", "The Midnight Foxes", "DJ Korra", "Aria Blue", "Marco Santini", "Kaito",
            "Nova & The Echoes", "Lil Frost", "Sofía Ríos", "Chloé Marchand", "Björn Lind",
            "Ayşe Kaya", "Rohan Mehta", "Seo-yeon", "Los Hermanos Vega", "MC Tavares"
        };
        private static final String[] SONGS = {
            "Golden Hour", "Neon Nights", "Lost in Tokyo", "Corazón de Fuego", "Saudade",
            "Midnight Drive", "Paper Planes", "Summer Rain", "Ghost Town", "Mi Amor", "夏の終わり",
            "Hoa Nở Không Màu", "Dil Se Dil Tak", "Habibi Ya Nour", "Kalimera", "Starlight",
            "봄날의 기억", "Ça va aller"
        };
        private static final String[] MUSIC_TAGS = {
            "Official Music Video", "Official Audio", "Lyric Video", "Live Session",
            "Acoustic Version", "Visualizer", "Slowed + Reverb", "Remix"
        };
        private static final String[] HOOKS = {
            "I Tried", "Why", "How to Make", "The Truth About", "Reacting to",
            "10 Things You Didn't Know About", "Ranking Every", "We Built", "Testing", "Inside",
            "Explaining", "The Rise and Fall of", "Beginner's Guide to", "Don't Buy"
        };
        private static final String[] TOPICS = {
            "the New iPhone", "Street Food in Bangkok", "Minecraft Hardcore",
            "the World Cup Final", "Quantum Computers", "a $1 vs $1000 Meal", "My Morning Routine",
            "Elden Ring", "Climate Change", "a Budget Gaming PC", "Japanese Curry",
            "Marathon Training", "the Stock Market", "Learning Piano in 30 Days", "Tiny Houses",
            "Electric Cars", "Sourdough Bread", "the Champions League"
        };
        private static final String[] SUFFIXES = {
            "", "", "", " (Gone Wrong)", " | Full Episode", " #shorts", " 🔥", " in 2024",
            " - Part 2", " | Highlights", " (4K)", " 😱", " [Subtitles]"
        };
        private static final String[] FOREIGN_TITLES = {
            "Receita fácil de pão caseiro", "Cómo aprender inglés en 30 días",
            "Lo mejor de la jornada | Resumen", "Les meilleures astuces pour débutants",
            "Bande-annonce officielle (VF)", "Die größten Fehler beim Kochen",
            "Unboxing: das neue Smartphone im Test", "Как приготовить борщ дома",
            "日本の夏祭りに行ってみた", "【歌ってみた】夏の終わり", "初心者向けプログラミング講座 #1",
            "这首歌太好听了", "공식 뮤직비디오 | 봄날의 기억", "브이로그: 서울 카페 투어",
            "أجمل الأغاني العربية 2023", "وصفة سهلة للحلويات", "आज की ताज़ा ख़बरें | मुख्य समाचार",
            "क्रिकेट हाइलाइट्स: भारत बनाम ऑस्ट्रेलिया", "Tüm Zamanların En İyi Golleri",
            "Top 10 món ăn đường phố Việt Nam", "เพลงฮิต 2024 ฟังสบาย",
            "Ελληνικά τραγούδια για καλοκαίρι", "Najlepsze momenty sezonu",
            "Dicas de maquiagem para iniciantes"
        };

        /** Music videos mostly get "Artist - Song (Tag)" titles, so title and category agree. */
        static String title(SplittableRandom random, boolean music) {
            if (music && random.nextDouble() < 0.85) {
                return pick(ARTISTS, random) + " - " + pick(SONGS, random) + " ("
                        + pick(MUSIC_TAGS, random) + ")";
            }
            double r = random.nextDouble();
            if (r < 0.45) {
                return pick(HOOKS, random) + " " + pick(TOPICS, random) + pick(SUFFIXES, random);
            }
            if (r < 0.80) {
                return pick(FOREIGN_TITLES, random) + pick(SUFFIXES, random);
            }
            return pick(TOPICS, random) + " " + random.nextInt(2015, 2026) + " #shorts";
        }

        // ---- channel names ----

        private static final String[] HANDLE_WORDS = words(
                "pixel chef gaming rahul maria tech daily vlogs music lover official ninja cozinha "
                + "kpop fan art studio travel lofi beats sarah kenji ahmed priya lucas film fit "
                + "coach crafty mom dad tv shorts clips world nerd plays tokyo desi latina");
        private static final String[] HANDLE_SEPARATORS = {"", "_", ".", "-"};
        private static final String[] BRAND_WORDS = words(
                "Pixel Sunset Kitchen Retro Galaxy Urban Lofi Cricket Anime Garden Science "
                + "Football Beauty Motor Comedy Tokyo Bollywood Samba K-Pop Chess");
        private static final String[] BRAND_PATTERNS = {
            "The %s Channel", "%s TV", "%s Official", "%s Clips", "Daily %s", "%s Lovers 🎵"
        };

        /** Given and family names of one language, and how that language orders and joins them. */
        private record NamePool(
                String[] given, String[] family, boolean familyFirst, String separator) {
            String name(SplittableRandom random) {
                String g = pick(given, random);
                String f = pick(family, random);
                return familyFirst ? f + separator + g : g + separator + f;
            }
        }

        private static final NamePool[] NAME_POOLS = {
            new NamePool(words("James Emily Michael Sarah Chris Jessica Daniel Ashley"),
                    words("Smith Johnson Brown Miller Wilson Taylor"), false, " "),
            new NamePool(words("Rahul Priya Arjun Ananya Vikram Sneha"),
                    words("Sharma Patel Iyer Reddy Gupta"), false, " "),
            new NamePool(words("José María Lucía Andrés Sofía Martín"),
                    words("García Fernández López Martínez Pérez Gómez"), false, " "),
            new NamePool(words("João Ana Luís Beatriz Gonçalo Inês"),
                    words("Silva Santos Conceição Araújo Gonçalves"), false, " "),
            new NamePool(words("Lukas Jürgen Sophie Maximilian Lea"),
                    words("Müller Schröder Weiß Bäcker Groß"), false, " "),
            new NamePool(words("François Chloé Léa Théo Hélène"),
                    words("Lefèvre Dubois Girard Mercier"), false, " "),
            new NamePool(words("İbrahim Ayşe Emre Şule Çağla"),
                    words("Yılmaz Kaya Demir Öztürk Çelik"), false, " "),
            new NamePool(new String[] {"Thị Lan", "Văn An", "Minh Anh", "Quốc Bảo"},
                    words("Nguyễn Trần Lê Phạm"), true, " "),
            new NamePool(words("太郎 花子 健太 さくら"), words("田中 佐藤 鈴木 高橋"), true, ""),
            new NamePool(words("伟 芳 娜 强 静怡"), words("李 王 张 刘 陈"), true, ""),
            new NamePool(words("민준 서연 지호 하은"), words("김 이 박 최"), true, ""),
            new NamePool(words("أحمد محمد فاطمة ليلى"), words("حسن علي منصور الخطيب"), false, " "),
            new NamePool(words("राहुल प्रिया अमित अंजलि"), words("शर्मा वर्मा सिंह पटेल"), false, " "),
            new NamePool(words("Иван Ольга Дмитрий Анна"),
                    words("Петров Иванова Смирнов Кузнецова"), false, " "),
        };

        static String channelName(SplittableRandom random) {
            double r = random.nextDouble();
            if (r < 0.45) {
                return handle(random);
            }
            if (r < 0.88) {
                return NAME_POOLS[random.nextInt(NAME_POOLS.length)].name(random);
            }
            return pick(BRAND_PATTERNS, random).replace("%s", pick(BRAND_WORDS, random));
        }

        private static String handle(SplittableRandom random) {
            StringBuilder handle = new StringBuilder("@").append(pick(HANDLE_WORDS, random));
            handle.append(pick(HANDLE_SEPARATORS, random)).append(pick(HANDLE_WORDS, random));
            double r = random.nextDouble();
            if (r < 0.35) {
                handle.append(random.nextInt(100));
            } else if (r < 0.5) {
                handle.append(random.nextInt(1985, 2011));
            }
            return handle.toString();
        }
    }
}
