package io.datasync.job.spec;

import io.datasync.job.spec.Expression.Binary;
import io.datasync.job.spec.Expression.Call;
import io.datasync.job.spec.Expression.Column;
import io.datasync.job.spec.Expression.Comparison;
import io.datasync.job.spec.Expression.In;
import io.datasync.job.spec.Expression.IsNull;
import io.datasync.job.spec.Expression.Literal;
import io.datasync.job.spec.Expression.Logical;
import io.datasync.job.spec.Expression.Negate;
import io.datasync.job.spec.Expression.Not;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive descent over the grammar in specs/009-document-shapes/spec.md, lowest precedence first:
 * {@code or}, {@code and}, {@code not}, comparisons ({@code = <> != < <= > >=}, {@code is [not] null},
 * {@code [not] in (…)}), {@code ||}, {@code + -}, {@code *}, unary minus, then literals, columns, function calls
 * and parentheses. Errors give the 1-based character position: "expected a value at 19".
 */
final class ExpressionParser {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "is", "null", "in", "true", "false");

    private enum Kind { WORD, NUMBER, TEXT, SYMBOL, END }

    private record Token(Kind kind, String text, int position) {
        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equals(word);
        }
    }

    private final String source;
    private final List<Token> tokens;
    private int next;

    ExpressionParser(String source) {
        if (source == null || source.isBlank()) {
            throw new InvalidSpecException("an expression is empty");
        }
        this.source = source;
        this.tokens = tokenize(source);
    }

    Expression parse() {
        Expression expression = or();
        Token rest = peek();
        if (rest.kind() != Kind.END) {
            throw error("unexpected '" + rest.text() + "'", rest);
        }
        return expression;
    }

    private Expression or() {
        Expression left = and();
        while (accept("or")) {
            left = new Logical(false, left, and());
        }
        return left;
    }

    private Expression and() {
        Expression left = not();
        while (accept("and")) {
            left = new Logical(true, left, not());
        }
        return left;
    }

    private Expression not() {
        if (accept("not")) {
            return new Not(not());
        }
        return comparison();
    }

    private Expression comparison() {
        Expression left = concat();
        Token token = peek();
        if (token.kind() == Kind.SYMBOL && Set.of("=", "<>", "!=", "<", "<=", ">", ">=").contains(token.text())) {
            next++;
            return new Comparison(token.text().equals("!=") ? "<>" : token.text(), left, concat());
        }
        if (accept("is")) {
            boolean negated = accept("not");
            expect("null", "'null' after 'is" + (negated ? " not'" : "'"));
            return new IsNull(left, negated);
        }
        if (token.is("not") && lookahead(1).is("in")) {
            next += 2;
            return new In(left, list(), true);
        }
        if (accept("in")) {
            return new In(left, list(), false);
        }
        return left;
    }

    private List<Literal> list() {
        expect("(", "'(' after 'in'");
        List<Literal> values = new ArrayList<>();
        do {
            Token token = peek();
            Expression value = unary();
            if (!(value instanceof Literal literal)) {
                throw error("'in' takes literal values only", token);
            }
            values.add(literal);
        } while (accept(","));
        expect(")", "')' or ',' in the 'in' list");
        return values;
    }

    /** {@code ||} binds looser than {@code + -}, as in PostgreSQL: {@code 'n' || likes + 1} adds first. */
    private Expression concat() {
        Expression left = sum();
        while (accept("||")) {
            left = new Binary("||", left, sum());
        }
        return left;
    }

    private Expression sum() {
        Expression left = product();
        while (true) {
            Token token = peek();
            if (token.is("+") || token.is("-")) {
                next++;
                left = new Binary(token.text(), left, product());
            } else {
                return left;
            }
        }
    }

    private Expression product() {
        Expression left = unary();
        while (true) {
            Token token = peek();
            if (token.is("*")) {
                next++;
                left = new Binary("*", left, unary());
            } else if (token.is("/")) {
                throw error("'/' is not supported (PostgreSQL's integer division and the job's would differ)", token);
            } else {
                return left;
            }
        }
    }

    private Expression unary() {
        if (accept("-")) {
            Expression operand = unary();
            return operand instanceof Literal literal && literal.value() instanceof BigDecimal number ? new Literal(number.negate()) : new Negate(operand);
        }
        return primary();
    }

    private Expression primary() {
        Token token = peek();
        switch (token.kind()) {
            case NUMBER -> {
                next++;
                return new Literal(new BigDecimal(token.text()));
            }
            case TEXT -> {
                next++;
                return new Literal(token.text());
            }
            case WORD -> {
                next++;
                String word = token.text();
                switch (word) {
                    case "null" -> {
                        return new Literal(null);
                    }
                    case "true", "false" -> {
                        return new Literal(Boolean.parseBoolean(word));
                    }
                    default -> {
                        if (KEYWORDS.contains(word)) {
                            throw error("expected a value, not '" + word + "'", token);
                        }
                        if (peek().is("(")) {
                            return call(token);
                        }
                        return new Column(word);
                    }
                }
            }
            case SYMBOL -> {
                if (token.is("(")) {
                    next++;
                    Expression inner = or();
                    expect(")", "')'");
                    return inner;
                }
                throw error("expected a value, not '" + token.text() + "'", token);
            }
            default -> throw error("expected a value", token);
        }
    }

    private Expression call(Token name) {
        if (!Call.FUNCTIONS.contains(name.text())) {
            throw error("unknown function '" + name.text() + "' (known: coalesce, length, lower, upper)", name);
        }
        expect("(", "'('");
        List<Expression> arguments = new ArrayList<>();
        if (!peek().is(")")) {
            do {
                arguments.add(or());
            } while (accept(","));
        }
        expect(")", "')' or ',' in the arguments of " + name.text() + "()");
        boolean coalesce = name.text().equals("coalesce");
        if (coalesce ? arguments.isEmpty() : arguments.size() != 1) {
            throw error(name.text() + "() takes " + (coalesce ? "one or more arguments" : "one argument") + ", not " + arguments.size(), name);
        }
        return new Call(name.text(), arguments);
    }

    private boolean accept(String word) {
        if (peek().is(word)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(String word, String what) {
        if (!accept(word)) {
            throw error("expected " + what, peek());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token lookahead(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private InvalidSpecException error(String message, Token at) {
        return new InvalidSpecException(message + " at " + (at.position() + 1) + " in \"" + source + "\"");
    }

    private List<Token> tokenize(String text) {
        List<Token> found = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                String word = text.substring(start, i);
                String lower = word.toLowerCase(Locale.ROOT);
                // Column names as PostgreSQL folds unquoted ones; keywords in any case.
                found.add(new Token(Kind.WORD, lower, start));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                int start = i;
                while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
                String number = text.substring(start, i);
                try {
                    new BigDecimal(number);
                } catch (NumberFormatException e) {
                    throw new InvalidSpecException("not a number: '" + number + "' at " + (start + 1) + " in \"" + text + "\"");
                }
                found.add(new Token(Kind.NUMBER, number, start));
            } else if (c == '\'') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= text.length()) {
                        throw new InvalidSpecException("text not closed (a ' is missing) from " + (start + 1) + " in \"" + text + "\"");
                    }
                    char d = text.charAt(i++);
                    if (d == '\'') {
                        if (i < text.length() && text.charAt(i) == '\'') {
                            value.append('\'');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        value.append(d);
                    }
                }
                found.add(new Token(Kind.TEXT, value.toString(), start));
            } else {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (Set.of("<>", "!=", "<=", ">=", "||").contains(two)) {
                    found.add(new Token(Kind.SYMBOL, two, i));
                    i += 2;
                } else if ("=<>()+-*/,".indexOf(c) >= 0) {
                    found.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new InvalidSpecException("unexpected character '" + c + "' at " + (i + 1) + " in \"" + text + "\"");
                }
            }
        }
        found.add(new Token(Kind.END, "end", text.length()));
        return found;
    }
}
