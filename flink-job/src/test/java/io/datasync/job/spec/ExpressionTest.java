package io.datasync.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ExpressionTest {
    /** A comment row as the job holds it: numbers as Long, timestamps as ISO-8601 text, a null column. */
    static final Map<String, Object> COMMENT = new HashMap<>();

    static {
        COMMENT.put("comment_id", "c1");
        COMMENT.put("likes", 12L);
        COMMENT.put("comment_text", "Great Video");
        COMMENT.put("sentiment_label", null);
        COMMENT.put("published_at", "2024-03-01T10:15:30Z");
        COMMENT.put("is_pinned", true);
    }

    static Object eval(String expression) {
        return Expression.parse(expression).evaluate(COMMENT::get);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " ~ ", quoteCharacter = '`', nullValues = "NULL", value = {
            "likes > 10 ~ true",
            "likes >= 12 and likes <= 12 ~ true",
            "likes = '12' ~ true",
            "likes <> 12 ~ false",
            "likes != 12 ~ false",
            "sentiment_label is null ~ true",
            "sentiment_label is not null ~ false",
            "SENTIMENT_LABEL IS NOT NULL ~ false",
            "sentiment_label = 'positive' ~ NULL",
            "sentiment_label = 'positive' or likes > 10 ~ true",
            "sentiment_label = 'positive' and likes > 10 ~ NULL",
            "sentiment_label = 'positive' and likes > 100 ~ false",
            "not (sentiment_label = 'positive') ~ NULL",
            "not likes > 100 ~ true",
            "comment_id in ('c1', 'c2') ~ true",
            "comment_id not in ('c2', 'c3') ~ true",
            "comment_id not in ('c2', null) ~ NULL",
            "comment_id in ('c2', null) ~ NULL",
            "sentiment_label in ('a') ~ NULL",
            "is_pinned = true ~ true",
            "is_pinned ~ true",
            "published_at >= '2024-03-01T00:00:00Z' ~ true",
            "published_at < '2024-03-01T10:15:30.5Z' ~ true",
            "comment_text = 'great video' ~ false",
            "lower(comment_text) = 'great video' ~ true",
            "'B' < 'a' ~ true",
            "missing_column is null ~ true",
    })
    void predicatesFollowSqlsThreeValuedLogic(String expression, Boolean expected) {
        assertThat(eval(expression)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " ~ ", quoteCharacter = '`', nullValues = "NULL", value = {
            "likes * 2 + 1 ~ 25",
            "-likes - -3 ~ -9",
            "2 + 3 * 4 ~ 14",
            "(2 + 3) * 4 ~ 20",
            "likes * 1.5 ~ 18.0",
            "likes + sentiment_label ~ NULL",
            "length(comment_text) ~ 11",
            "coalesce(sentiment_label, 'none') ~ none",
            "coalesce(sentiment_label, null) ~ NULL",
            "upper(comment_id) || '-' || likes ~ C1-12",
            "upper('ünï') ~ üNï",
            "comment_id || sentiment_label ~ NULL",
            "'it''s' ~ it's",
            "'n' || likes + 1 ~ n13",
    })
    void valuesAreComputedAsPostgreSqlComputesThem(String expression, String expected) {
        Object value = eval(expression);
        assertThat(value == null ? null : value instanceof BigDecimal number ? number.toPlainString() : value.toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " ~ ", quoteCharacter = '`', value = {
            "likes > ~ expected a value at 8 in \"likes >\"",
            "likes > 1 1 ~ unexpected '1' at 11",
            "(likes > 1 ~ expected ')' at 11",
            "likes is 1 ~ expected 'null' after 'is' at 10",
            "likes in (1, likes) ~ 'in' takes literal values only at 14",
            "likes in 1 ~ expected '(' after 'in' at 10",
            "likes / 2 ~ '/' is not supported",
            "sqrt(likes) ~ unknown function 'sqrt' (known: coalesce, length, lower, upper) at 1",
            "lower(a, b) ~ lower() takes one argument, not 2 at 1",
            "coalesce() ~ coalesce() takes one or more arguments, not 0 at 1",
            "'open ~ text not closed (a ' is missing) from 1",
            "likes # 2 ~ unexpected character '#' at 7",
            "1.2.3 ~ not a number: '1.2.3' at 1",
            "and likes ~ expected a value, not 'and' at 1",
    })
    void errorsSayWhatAndWhere(String expression, String message) {
        assertThatThrownBy(() -> Expression.parse(expression)).isInstanceOf(InvalidSpecException.class).hasMessageContaining(message);
    }

    @Test
    void anEmptyExpressionIsAnError() {
        assertThatThrownBy(() -> Expression.parse("  ")).isInstanceOf(InvalidSpecException.class).hasMessage("an expression is empty");
    }

    @Test
    void whatCannotBeComputedSaysWhy() {
        assertThatThrownBy(() -> eval("comment_text > 5")).isInstanceOf(Expression.EvaluationException.class)
                .hasMessage("cannot compare text 'Great Video' with the number 5");
        assertThatThrownBy(() -> eval("comment_text * 2")).hasMessage("'*' needs numbers, not text 'Great Video'");
        assertThatThrownBy(() -> eval("length(likes)")).hasMessage("length() needs text, not 12");
        assertThatThrownBy(() -> eval("likes and true")).hasMessage("and needs true or false, not 12");
    }

    @Test
    void theSqlTextIsWhatPostgreSqlRunsForTheVerifier() {
        assertThat(Expression.parse("Likes > 10 AND (sentiment_label IS NOT NULL OR comment_id IN ('a', 'it''s'))").sql())
                .isEqualTo("((\"likes\" > 10) AND ((\"sentiment_label\" IS NOT NULL) OR (\"comment_id\" IN ('a', 'it''s'))))");
        assertThat(Expression.parse("not likes != -2").sql()).isEqualTo("(NOT (\"likes\" <> -2))");
        assertThat(Expression.parse("coalesce(lower(a), 'x') || b * 2 - -c").sql())
                .isEqualTo("(coalesce(lower((\"a\")::text COLLATE \"C\"), 'x') || ((\"b\" * 2) - (-\"c\")))");
        assertThat(Expression.parse("flag = true and x is null").sql()).isEqualTo("((\"flag\" = TRUE) AND (\"x\" IS NULL))");
    }

    @Test
    void theColumnsItReadsAreKnown() {
        assertThat(Expression.parse("coalesce(a, b) > c or d in (1) and not e is null and 'x' = 'y'").columns()).containsExactly("a", "b", "c", "d", "e");
    }
}
