package io.datasync.job.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sync spec's small expression language (filters, soft deletes, computed fields): SQL's syntax
 * and semantics for the part it covers, so the job evaluates it on a row and the verifier runs the
 * same expression in PostgreSQL ({@link #sql}). Values are text ({@code String}), numbers
 * ({@code BigDecimal}), {@code Boolean} or null; logic is three-valued (null is SQL's unknown).
 * Parsed by {@link ExpressionParser}.
 */
@JsonDeserialize(using = Expression.FromText.class)
public sealed interface Expression extends Serializable {

    /** The value of this expression on a row whose columns {@code columns} gives (null for an absent column). */
    Object evaluate(Function<String, Object> columns);

    /** The same expression as PostgreSQL text, identifiers quoted. */
    String sql();

    /** The row's columns it reads. */
    default Set<String> columns() {
        Set<String> columns = new LinkedHashSet<>();
        collectColumns(columns);
        return columns;
    }

    void collectColumns(Set<String> into);

    /** Whether a predicate holds: only true does (false and unknown do not), as in SQL's WHERE. */
    default boolean holds(Function<String, Object> columns) {
        return Boolean.TRUE.equals(evaluate(columns));
    }

    static Expression parse(String text) {
        return new ExpressionParser(text).parse();
    }

    /** A spec's expression from its YAML text (a string, or a bare number or boolean). */
    final class FromText extends StdScalarDeserializer<Expression> {
        public FromText() {
            super(Expression.class);
        }

        @Override
        public Expression deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String at = path(parser.getParsingContext());
            if (!parser.currentToken().isScalarValue()) {
                // The parser is inside the list or map that was given: its key is one level up.
                throw new InvalidSpecException(path(parser.getParsingContext().getParent()) + ": an expression must be text, such as: deleted_at is not null");
            }
            try {
                return parse(parser.getText());
            } catch (InvalidSpecException e) {
                throw new InvalidSpecException(at + ": " + e.getMessage());
            }
        }

        /** Where in the spec: indexes[0].filter. */
        private static String path(com.fasterxml.jackson.core.JsonStreamContext context) {
            java.util.Deque<String> parts = new java.util.ArrayDeque<>();
            for (var at = context; at != null && !at.inRoot(); at = at.getParent()) {
                parts.push(at.inArray() ? "[" + at.getCurrentIndex() + "]" : "." + at.getCurrentName());
            }
            String path = String.join("", parts);
            return path.startsWith(".") ? path.substring(1) : path;
        }
    }

    /** A value the expression cannot compute (text where a number is needed, say); the message names both. */
    final class EvaluationException extends RuntimeException {
        public EvaluationException(String message) {
            super(message);
        }
    }

    record Literal(Object value) implements Expression {
        public Literal {
            value = normalize(value);
        }

        @Override
        public Object evaluate(Function<String, Object> columns) {
            return value;
        }

        @Override
        public String sql() {
            if (value == null) {
                return "NULL";
            }
            if (value instanceof String text) {
                return "'" + text.replace("'", "''") + "'";
            }
            if (value instanceof BigDecimal number) {
                return number.toPlainString();
            }
            return value.toString().toUpperCase(Locale.ROOT);
        }

        @Override
        public void collectColumns(Set<String> into) {}
    }

    record Column(String name) implements Expression {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            return normalize(columns.apply(name));
        }

        @Override
        public String sql() {
            return "\"" + name + "\"";
        }

        @Override
        public void collectColumns(Set<String> into) {
            into.add(name);
        }
    }

    record Not(Expression operand) implements OneOperand {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            Object value = operand.evaluate(columns);
            return value == null ? null : !truth(value, "not");
        }

        @Override
        public String sql() {
            return "(NOT " + operand.sql() + ")";
        }
    }

    /** {@code and} / {@code or} with SQL's unknowns: false and anything is false, true or anything is true. */
    record Logical(boolean and, Expression left, Expression right) implements Infix {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            Object left = this.left.evaluate(columns);
            Boolean a = left == null ? null : truth(left, operator().toLowerCase(Locale.ROOT));
            if (a != null && a != and) {
                return a; // and: false decides; or: true decides
            }
            Object right = this.right.evaluate(columns);
            Boolean b = right == null ? null : truth(right, operator().toLowerCase(Locale.ROOT));
            if (b != null && b != and) {
                return b;
            }
            return a == null || b == null ? null : and;
        }

        @Override
        public String operator() {
            return and ? "AND" : "OR";
        }
    }

    /** An operator on one operand (not, is null, in, unary minus). */
    sealed interface OneOperand extends Expression permits Not, IsNull, In, Negate {
        Expression operand();

        @Override
        default void collectColumns(Set<String> into) {
            operand().collectColumns(into);
        }
    }

    /** An operator between two operands, written the same in SQL. */
    sealed interface Infix extends Expression permits Comparison, Binary, Logical {
        String operator();

        Expression left();

        Expression right();

        @Override
        default String sql() {
            return "(" + left().sql() + " " + operator() + " " + right().sql() + ")";
        }

        @Override
        default void collectColumns(Set<String> into) {
            left().collectColumns(into);
            right().collectColumns(into);
        }
    }

    /** {@code = <> < <= > >=}: null if either side is. */
    record Comparison(String operator, Expression left, Expression right) implements Infix {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            Object a = left.evaluate(columns);
            Object b = right.evaluate(columns);
            if (a == null || b == null) {
                return null;
            }
            int order = compare(a, b);
            return switch (operator) {
                case "=" -> order == 0;
                case "<>" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> throw new IllegalStateException("operator " + operator);
            };
        }
    }

    record IsNull(Expression operand, boolean negated) implements OneOperand {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            return (operand.evaluate(columns) == null) != negated;
        }

        @Override
        public String sql() {
            return "(" + operand.sql() + (negated ? " IS NOT NULL)" : " IS NULL)");
        }
    }

    /** {@code x in (a, b)}: true if x equals one; else unknown if x or one of them is null; else false. */
    record In(Expression operand, List<Literal> values, boolean negated) implements OneOperand {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public Object evaluate(Function<String, Object> columns) {
            Object value = operand.evaluate(columns);
            if (value == null) {
                return null;
            }
            boolean unknown = false;
            for (Literal candidate : values) {
                if (candidate.value() == null) {
                    unknown = true;
                } else if (compare(value, candidate.value()) == 0) {
                    return !negated;
                }
            }
            return unknown ? null : negated;
        }

        @Override
        public String sql() {
            return "(" + operand.sql() + (negated ? " NOT IN (" : " IN (") + values.stream().map(Literal::sql).collect(Collectors.joining(", ")) + "))";
        }
    }

    /** {@code + - *} on numbers, {@code ||} on text (a number joins as its text); null if either side is. */
    record Binary(String operator, Expression left, Expression right) implements Infix {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            Object a = left.evaluate(columns);
            Object b = right.evaluate(columns);
            if (a == null || b == null) {
                return null;
            }
            if (operator.equals("||")) {
                return text(a) + text(b);
            }
            BigDecimal x = number(a, operator);
            BigDecimal y = number(b, operator);
            return switch (operator) {
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                case "*" -> x.multiply(y);
                default -> throw new IllegalStateException("operator " + operator);
            };
        }
    }

    record Negate(Expression operand) implements OneOperand {
        @Override
        public Object evaluate(Function<String, Object> columns) {
            Object value = operand.evaluate(columns);
            return value == null ? null : number(value, "-").negate();
        }

        @Override
        public String sql() {
            return "(-" + operand.sql() + ")";
        }
    }

    /** {@code lower} and {@code upper} (ASCII letters only, as PostgreSQL's C collation), {@code length} (characters) and {@code coalesce}. */
    record Call(String function, List<Expression> arguments) implements Expression {
        public static final Set<String> FUNCTIONS = Set.of("lower", "upper", "length", "coalesce");

        public Call {
            arguments = List.copyOf(arguments);
        }

        @Override
        public Object evaluate(Function<String, Object> columns) {
            if (function.equals("coalesce")) {
                for (Expression argument : arguments) {
                    Object value = argument.evaluate(columns);
                    if (value != null) {
                        return value;
                    }
                }
                return null;
            }
            Object value = arguments.get(0).evaluate(columns);
            if (value == null) {
                return null;
            }
            if (!(value instanceof String text)) {
                throw new EvaluationException(function + "() needs text, not " + describe(value));
            }
            return switch (function) {
                case "lower" -> ascii(text, 'A', 'Z', 'a' - 'A');
                case "upper" -> ascii(text, 'a', 'z', 'A' - 'a');
                case "length" -> BigDecimal.valueOf(text.codePointCount(0, text.length()));
                default -> throw new IllegalStateException("function " + function);
            };
        }

        @Override
        public String sql() {
            if (function.equals("lower") || function.equals("upper")) {
                // Under the C collation PostgreSQL changes ASCII letters only, as the job does, whatever the database's locale.
                return function + "((" + arguments.get(0).sql() + ")::text COLLATE \"C\")";
            }
            return function + "(" + arguments.stream().map(Expression::sql).collect(Collectors.joining(", ")) + ")";
        }

        /** ASCII letters from {@code first} to {@code last} shifted by {@code shift}; every other character as it is. */
        private static String ascii(String text, char first, char last, int shift) {
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                out.append(c >= first && c <= last ? (char) (c + shift) : c);
            }
            return out.toString();
        }

        @Override
        public void collectColumns(Set<String> into) {
            arguments.forEach(argument -> argument.collectColumns(into));
        }
    }

    /** Text, BigDecimal, Boolean or null: a row's Long, BigInteger and other numbers become BigDecimal. */
    public static Object normalize(Object value) {
        if (value instanceof BigDecimal || value instanceof String || value instanceof Boolean || value == null) {
            return value;
        }
        if (value instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        return value.toString();
    }

    /**
     * SQL's order of two non-null values: numbers by value, booleans false first, text by code point,
     * except that two texts that are both ISO-8601 timestamps compare as instants (a row holds its
     * timestamps as text); text against a number or a boolean is read as one, as PostgreSQL reads an
     * untyped literal.
     */
    public static int compare(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            Integer utc = UtcTimestamps.compare(x, y);
            if (utc != null) {
                return utc;
            }
            OffsetDateTime first = instant(x);
            OffsetDateTime second = first == null ? null : instant(y);
            return second != null ? first.toInstant().compareTo(second.toInstant()) : codePoints(x, y);
        }
        if (a instanceof String text) {
            return compare(as(text, b), b);
        }
        if (b instanceof String text) {
            return compare(a, as(text, a));
        }
        throw new EvaluationException("cannot compare " + describe(a) + " with " + describe(b));
    }

    private static Object as(String text, Object like) {
        if (like instanceof BigDecimal) {
            try {
                return new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                throw new EvaluationException("cannot compare text '" + text + "' with the number " + describe(like));
            }
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new EvaluationException("cannot compare text '" + text + "' with " + describe(like));
    }

    /** Text by code point: PostgreSQL's order under the C collation (UTF-8 bytes), not Java's UTF-16 order. */
    public static int codePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }

    private static OffsetDateTime instant(String text) {
        if (text.length() < 20 || text.charAt(4) != '-' || text.charAt(10) != 'T') {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean truth(Object value, String operator) {
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new EvaluationException(operator + " needs true or false, not " + describe(value));
    }

    private static BigDecimal number(Object value, String operator) {
        if (value instanceof BigDecimal number) {
            return number;
        }
        if (value instanceof String text) {
            try {
                return new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        }
        throw new EvaluationException("'" + operator + "' needs numbers, not " + describe(value));
    }

    private static String text(Object value) {
        return value instanceof BigDecimal number ? number.toPlainString() : value.toString();
    }

    private static String describe(Object value) {
        return value instanceof String text ? "text '" + text + "'" : value instanceof BigDecimal number ? number.toPlainString() : String.valueOf(value);
    }
}
