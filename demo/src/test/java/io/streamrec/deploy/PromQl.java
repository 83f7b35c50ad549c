package io.streamrec.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression selects, found by a small tokenizer rather than a full parser: enough to
 * check that dashboards and alert rules only name series the services export. Stateless.
 *
 * <p>How an expression is read, left to right:
 * <ul>
 *   <li>{@code #} to the end of the line is a comment; {@code "..."}, {@code '...'} and {@code `...`} are string
 *       literals (backslash escapes in the first two); both are skipped.</li>
 *   <li>{@code [ ... ]} (a range, or a subquery's {@code range:step}) is skipped whole; Grafana's
 *       {@code $__rate_interval} lives there.</li>
 *   <li>A number ({@code 0.99}, {@code 1e-9}, {@code 0x1f}) or a duration ({@code 5m}, {@code 1h30m}) is
 *       skipped, as is a Grafana variable ({@code $name}, {@code ${name}}).</li>
 *   <li>An identifier ({@code [A-Za-z_:][A-Za-z0-9_:]*}) is <em>not</em> a metric name when it is followed by
 *       {@code (} (a function, such as {@code rate} or {@code histogram_quantile}, or an aggregation), when it
 *       is an aggregation operator ({@code sum}, {@code topk}, ... also when its {@code by (...)} clause comes
 *       first), a keyword ({@code and}, {@code or}, {@code unless}, {@code bool}, {@code offset},
 *       {@code atan2}) or {@code inf} / {@code nan}. After {@code by}, {@code without}, {@code on},
 *       {@code ignoring}, {@code group_left} and {@code group_right} the parenthesised list holds label
 *       names, which are skipped.</li>
 *   <li>Any other identifier is a metric name. A {@code { ... }} right after it holds its label matchers,
 *       whose label names ({@code name} before {@code =}, {@code !=}, {@code =~}, {@code !~}) are kept with
 *       it. A {@code { ... }} without a name before it selects by {@code __name__="..."}, which is taken as the
 *       name when it is an exact match (a regular expression selects no name this check can verify).</li>
 * </ul>
 * Unbalanced brackets and unterminated strings are reported as {@link IllegalArgumentException}, so a broken
 * expression fails the check instead of passing it.
 */
final class PromQl {

    /** A vector selector: the metric name and the label names its matchers use. */
    record Selector(String metric, Set<String> labels) {
    }

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf",
            "nan");
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    private PromQl() {
    }

    /** The selectors of the expression, in order of appearance. */
    static List<Selector> selectors(String expression) {
        List<Selector> selectors = new ArrayList<>();
        String text = expression;
        int depth = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || c == ',' || isOperator(c)) {
                i++;
            } else if (c == '#') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (c == '"' || c == '\'' || c == '`') {
                i = afterString(text, i);
            } else if (c == '[') {
                int end = text.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ at " + i + " in: " + expression);
                }
                i = end + 1;
            } else if (c == '(') {
                depth++;
                i++;
            } else if (c == ')') {
                if (--depth < 0) {
                    throw new IllegalArgumentException("unbalanced ) at " + i + " in: " + expression);
                }
                i++;
            } else if (c == '{') {
                int end = matchersEnd(text, i, expression);
                Set<String> labels = new TreeSet<>();
                String name = matchers(text.substring(i + 1, end), labels);
                if (name != null) {
                    labels.remove("__name__");
                    selectors.add(new Selector(name, labels));
                }
                i = end + 1;
            } else if (c == '$') {
                i = afterVariable(text, i);
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length()
                    && Character.isDigit(text.charAt(i + 1)))) {
                i = afterNumber(text, i);
            } else if (isIdentifierStart(c)) {
                int end = i;
                while (end < text.length() && isIdentifierPart(text.charAt(end))) {
                    end++;
                }
                String word = text.substring(i, end);
                int next = skipSpace(text, end);
                char following = next < text.length() ? text.charAt(next) : '\0';
                String lower = word.toLowerCase(Locale.ROOT);
                if (LABEL_LIST_KEYWORDS.contains(word)) {
                    // by (a, b): label names, not metrics
                    i = following == '(' ? closingParen(text, next, expression) + 1 : end;
                } else if (following == '(' || AGGREGATIONS.contains(word) || KEYWORDS.contains(lower)) {
                    i = end;
                } else if (following == '{') {
                    int close = matchersEnd(text, next, expression);
                    Set<String> labels = new TreeSet<>();
                    matchers(text.substring(next + 1, close), labels);
                    selectors.add(new Selector(word, labels));
                    i = close + 1;
                } else {
                    selectors.add(new Selector(word, Set.of()));
                    i = end;
                }
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + i + " in: " + expression);
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced ( in: " + expression);
        }
        return selectors;
    }

    /** The metric names of the expression. */
    static Set<String> metricNames(String expression) {
        Set<String> names = new TreeSet<>();
        selectors(expression).forEach(selector -> names.add(selector.metric()));
        return names;
    }

    /** Adds the label names of {@code a="x", b=~"y"}; returns an exact {@code __name__} match, or null. */
    private static String matchers(String body, Set<String> labels) {
        String name = null;
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(body, i);
            } else if (isIdentifierStart(c)) {
                int end = i;
                while (end < body.length() && isIdentifierPart(body.charAt(end))) {
                    end++;
                }
                String label = body.substring(i, end);
                int operator = skipSpace(body, end);
                if (operator >= body.length() || "=!".indexOf(body.charAt(operator)) < 0) {
                    throw new IllegalArgumentException("label " + label + " without a matcher in {" + body + "}");
                }
                labels.add(label);
                boolean exact = body.charAt(operator) == '=' && (operator + 1 >= body.length()
                        || body.charAt(operator + 1) != '~');
                int value = skipSpace(body, operator + (exact ? 1 : 2));
                if (label.equals("__name__") && exact && value < body.length() && body.charAt(value) == '"') {
                    name = body.substring(value + 1, afterString(body, value) - 1);
                }
                i = end;
            } else {
                i++;
            }
        }
        return name;
    }

    private static int matchersEnd(String text, int open, String expression) {
        int i = open + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(text, i);
            } else if (c == '}') {
                return i;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unclosed { in: " + expression);
    }

    private static int closingParen(String text, int open, String expression) {
        int close = text.indexOf(')', open);
        if (close < 0) {
            throw new IllegalArgumentException("unclosed ( in: " + expression);
        }
        return close;
    }

    private static int afterString(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated string in: " + text);
    }

    private static int afterVariable(String text, int start) {
        int i = start + 1;
        if (i < text.length() && text.charAt(i) == '{') {
            int end = text.indexOf('}', i);
            return end < 0 ? text.length() : end + 1;
        }
        while (i < text.length() && isIdentifierPart(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int afterNumber(String text, int start) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean exponentSign = (c == '-' || c == '+') && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E');
            if (Character.isLetterOrDigit(c) || c == '.' || exponentSign) {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isOperator(char c) {
        return "+-*/%^=!<>@:".indexOf(c) >= 0;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }
}
