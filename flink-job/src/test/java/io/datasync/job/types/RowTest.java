package io.datasync.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowTest {
    private static Row json(String text) {
        return Row.ofJson(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final Row COMMENT = json("{\"comment_id\":\"c-1\",\"likes\":3,\"rating\":4.50,\"big\":123456789012345678901234567890,"
            + "\"text\":\"héllo \\\"quoted\\\" 🧪\",\"pinned\":true,\"deleted_at\":null,\"tags\":\"[\\\"a\\\",\\\"b\\\"]\"}");

    @Test
    void valuesAreReadTyped() {
        assertThat(COMMENT.get("comment_id")).isEqualTo("c-1");
        assertThat(COMMENT.get("likes")).isEqualTo(3L);
        assertThat(COMMENT.get("rating")).isEqualTo(new BigDecimal("4.50"));
        assertThat(COMMENT.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(COMMENT.get("text")).isEqualTo("héllo \"quoted\" 🧪");
        assertThat(COMMENT.get("pinned")).isEqualTo(true);
        assertThat(COMMENT.get("deleted_at")).isNull();
        assertThat(COMMENT.get("no_such_column")).isNull();
    }

    @Test
    void aKeyReadsAsText() {
        assertThat(COMMENT.text("likes")).isEqualTo("3");
        assertThat(COMMENT.text("deleted_at")).isNull();
    }

    @Test
    void aProjectionKeepsTheOrderAskedForNumbersAsWrittenAndAbsentColumnsAsNull() {
        assertThat(COMMENT.project(List.of("rating", "comment_id", "missing")).toString())
                .isEqualTo("{\"rating\":4.50,\"comment_id\":\"c-1\",\"missing\":null}");
        assertThat(COMMENT.project(List.of())).isSameAs(Row.EMPTY);
    }

    @Test
    void aProjectionIsByteForByteWhatTheGeneratorWouldWriteForTheSameValues() {
        java.util.Random random = new java.util.Random(11);
        String[] texts = {"", "plain", "héllo \"quoted\" 🧪", "back\\slash", "tab\tnew\nline", "ctrl\u0001", "日本語", "{\"json\":[1]}"};
        for (int round = 0; round < 500; round++) {
            Map<String, Object> values = new LinkedHashMap<>();
            int width = 1 + random.nextInt(8);
            for (int c = 0; c < width; c++) {
                Object value = switch (random.nextInt(7)) {
                    case 0 -> texts[random.nextInt(texts.length)];
                    case 1 -> random.nextLong();
                    case 2 -> new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(5));
                    case 3 -> new BigInteger(100, random);
                    case 4 -> random.nextBoolean();
                    case 5 -> null;
                    default -> "v" + random.nextInt(1000);
                };
                values.put("col" + c + (c % 3 == 0 ? "_ü\"" : ""), value);
            }
            Row row = Row.of(values);
            List<String> asked = new java.util.ArrayList<>(values.keySet());
            asked.add("missing");
            java.util.Collections.shuffle(asked, random);
            asked = asked.subList(0, 1 + random.nextInt(asked.size()));
            Map<String, Object> expected = new LinkedHashMap<>();
            asked.forEach(column -> expected.put(column, values.get(column)));

            assertThat(row.project(asked)).as("%s projected on %s", row, asked).isEqualTo(Row.of(expected));
        }
    }

    @Test
    void aProjectionCopiesObjectsAndArraysWhole() {
        Row row = json("{\"a\":{\"x\":[1,{\"y\":\"]}\"}],\"z\":null},\"b\":[],\"c\":2}");
        assertThat(row.project(List.of("c", "a", "b")).toString()).isEqualTo("{\"c\":2,\"a\":{\"x\":[1,{\"y\":\"]}\"}],\"z\":null},\"b\":[]}");
    }

    @Test
    void columnsAreInTheRowsOrder() {
        assertThat(COMMENT.columns()).containsExactly("comment_id", "likes", "rating", "big", "text", "pinned", "deleted_at", "tags");
    }

    @Test
    void aRowFromValuesReadsBackTheSame() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", "x");
        values.put("count", 7L);
        values.put("amount", new BigDecimal("0.10"));
        values.put("none", null);
        values.put("flag", false);

        Row row = Row.of(values);

        assertThat(row.toString()).isEqualTo("{\"id\":\"x\",\"count\":7,\"amount\":0.10,\"none\":null,\"flag\":false}");
        assertThat(row.toMap()).isEqualTo(values);
    }

    @Test
    void rowsAreEqualByTheirBytes() {
        assertThat(json("{\"a\":1}")).isEqualTo(json("{\"a\":1}")).hasSameHashCodeAs(json("{\"a\":1}"));
        assertThat(json("{\"a\":1}")).isNotEqualTo(json("{\"a\":1.0}"));
    }
}
