package io.streamrec.app.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line is a {@code # HELP},
 * a {@code # TYPE}, another comment, or a sample {@code name{label="value",...} value [timestamp]}; every
 * sample belongs to a family declared by a {@code # TYPE} line before it (a histogram's {@code _bucket},
 * {@code _sum} and {@code _count}, a summary's {@code _sum} and {@code _count}, a counter's {@code _total} and
 * {@code _created}); a family is typed once; histogram buckets carry {@code le}; label names are valid and not
 * repeated; values are floats (or {@code NaN}, {@code +Inf}, {@code -Inf}). Anything else throws.
 */
final class PrometheusText {

    /** One sample. */
    record Sample(String name, Map<String, String> labels, double value) { }

    /** A parsed exposition: family types by name, and the samples in order. */
    record Exposition(Map<String, String> types, List<Sample> samples) {

        /** Samples of a name whose labels include every given pair. */
        List<Sample> find(String name, Map<String, String> labels) {
            return samples.stream().filter(sample -> sample.name().equals(name)
                    && sample.labels().entrySet().containsAll(labels.entrySet())).toList();
        }

        /** The value of the one sample that matches. */
        double value(String name, Map<String, String> labels) {
            List<Sample> found = find(name, labels);
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " samples " + name + labels + " (expected one)");
            }
            return found.get(0).value();
        }
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TYPE_LINE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP_LINE = Pattern.compile("# HELP (\\S+)( .*)?");
    private static final Pattern VALUE = Pattern.compile("[+-]?Inf|NaN|[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private PrometheusText() {
    }

    static Exposition parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> familiesWithSamples = new HashSet<>();
        List<Sample> samples = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int number = 0; number < lines.length; number++) {
            String line = lines[number];
            String where = "line " + (number + 1) + ": '" + line + "': ";
            if (line.isEmpty()) {
                if (number == lines.length - 1) {
                    continue; // the text ends with a newline
                }
                throw new IllegalArgumentException(where + "empty line");
            }
            if (line.startsWith("#")) {
                Matcher type = TYPE_LINE.matcher(line);
                if (line.startsWith("# TYPE")) {
                    if (!type.matches() || !METRIC_NAME.matcher(type.group(1)).matches()) {
                        throw new IllegalArgumentException(where + "malformed TYPE");
                    }
                    if (types.putIfAbsent(type.group(1), type.group(2)) != null) {
                        throw new IllegalArgumentException(where + "family typed twice");
                    }
                    if (familiesWithSamples.contains(type.group(1))) {
                        throw new IllegalArgumentException(where + "TYPE after the family's samples");
                    }
                } else if (line.startsWith("# HELP") && !HELP_LINE.matcher(line).matches()) {
                    throw new IllegalArgumentException(where + "malformed HELP");
                }
                continue;
            }
            Sample sample = sample(line, where);
            String family = family(sample, types, where);
            familiesWithSamples.add(family);
            samples.add(sample);
        }
        return new Exposition(types, samples);
    }

    private static String family(Sample sample, Map<String, String> types, String where) {
        String name = sample.name();
        if (types.containsKey(name)) {
            if (types.get(name).equals("histogram") || types.get(name).equals("summary")) {
                if (!types.get(name).equals("summary") || !sample.labels().containsKey("quantile")) {
                    throw new IllegalArgumentException(where + "a bare sample of a " + types.get(name));
                }
            }
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created")) {
            if (!name.endsWith(suffix)) {
                continue;
            }
            String base = name.substring(0, name.length() - suffix.length());
            String type = types.get(base);
            if (type == null) {
                continue;
            }
            boolean fits = switch (suffix) {
                case "_bucket" -> type.equals("histogram");
                case "_count", "_sum" -> type.equals("histogram") || type.equals("summary");
                default -> type.equals("counter");
            };
            if (!fits) {
                throw new IllegalArgumentException(where + suffix + " sample of a " + type);
            }
            if (suffix.equals("_bucket") && !sample.labels().containsKey("le")) {
                throw new IllegalArgumentException(where + "bucket without le");
            }
            return base;
        }
        throw new IllegalArgumentException(where + "no # TYPE for the sample's family");
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + "bad metric name");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) {
                    throw new IllegalArgumentException(where + "unterminated labels");
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int equals = line.indexOf('=', i);
                if (equals < 0) {
                    throw new IllegalArgumentException(where + "label without '='");
                }
                String label = line.substring(i, equals);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new IllegalArgumentException(where + "bad label name '" + label + "'");
                }
                i = equals + 1;
                if (i >= line.length() || line.charAt(i) != '"') {
                    throw new IllegalArgumentException(where + "label value not quoted");
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException(where + "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= line.length()) {
                            throw new IllegalArgumentException(where + "dangling escape");
                        }
                        char escaped = line.charAt(i++);
                        switch (escaped) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException(where + "bad escape \\" + escaped);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException(where + "label '" + label + "' repeated");
                }
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else if (i >= line.length() || line.charAt(i) != '}') {
                    throw new IllegalArgumentException(where + "expected ',' or '}' after a label");
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException(where + "expected one space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2 || !VALUE.matcher(rest[0]).matches()) {
            throw new IllegalArgumentException(where + "bad value");
        }
        if (rest.length == 2 && !rest[1].matches("-?\\d+")) {
            throw new IllegalArgumentException(where + "bad timestamp");
        }
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
