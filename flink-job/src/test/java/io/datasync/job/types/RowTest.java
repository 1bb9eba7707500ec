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
