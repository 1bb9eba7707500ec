package io.datasync.job.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcTimestampsTest {
    /** A timestamp as Debezium writes one: UTC, the fraction's trailing zeros left out, sometimes none. */
    static String debezium(Random random) {
        long second = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 0001 to 9999
        int nanos = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
        };
        String text = Instant.ofEpochSecond(second, nanos).toString();
        if (random.nextBoolean() && text.contains(".")) {
            text = text.replaceAll("0+Z$", "Z").replace(".Z", "Z");
        }
        return text;
    }

    @Test
    void comparesAsInstantsExactlyAsJavaTimeDoes() {
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            String a = debezium(random);
            // Often the same second, to compare fractions of every length against each other.
            String b = random.nextBoolean() ? debezium(random) : a.substring(0, 19) + debezium(random).substring(19);
            assertThat(Integer.signum(UtcTimestamps.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(Instant.parse(a).compareTo(Instant.parse(b))));
        }
    }

    @Test
    void fractionsOfDifferentLengthsCompareByValue() {
        assertThat(UtcTimestamps.compare("2024-01-02T03:04:05.5Z", "2024-01-02T03:04:05.500000Z")).isZero();
        assertThat(UtcTimestamps.compare("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000001Z")).isNegative();
        assertThat(UtcTimestamps.compare("2024-01-02T03:04:05.1Z", "2024-01-02T03:04:05.09Z")).isPositive();
    }

    @Test
    void anythingElseIsLeftToTheParser() {
        for (String other : new String[] {"2024-01-02T03:04:05+02:00", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-02T24:00:00Z",
                "2016-12-31T23:59:60Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05.1234567890Z", "2024-01-02 03:04:05Z", "2024-1-02T03:04:05Z",
                "2024-01-02T03:04:05z", "comment 2024-01-02T03:04:05Z", "2024-01-02T03:04:0xZ", "tomorrow"}) {
            assertThat(UtcTimestamps.compare(other, "2024-01-02T03:04:05Z")).as(other).isNull();
            assertThat(UtcTimestamps.compare("2024-01-02T03:04:05Z", other)).as(other).isNull();
        }
        assertThat(UtcTimestamps.compare("2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z")).as("leap days").isPositive();
    }

    @Test
    void datesThatDoNotExistAreLeftToTheParserWhichRejectsThemToo() {
        for (String other : new String[] {"2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z"}) {
            assertThat(parses(other)).as(other).isFalse();
        }
        // Forms the parser reads (24:00 as the next day's start, a point without digits): left to it, read as before.
        assertThat(parses("2024-01-02T24:00:00Z")).isTrue();
        assertThat(parses("2024-01-02T03:04:05.Z")).isTrue();
    }

    private static boolean parses(String text) {
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
