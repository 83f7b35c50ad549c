package io.streamrec.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile parsed far enough for the deployment tests: instructions with their continuation lines joined
 * and comment lines dropped (as the builder does), global {@code ARG} defaults substituted into {@code FROM},
 * and accessors for the final (runtime) stage. Immutable.
 *
 * @param path         the file
 * @param instructions every instruction in order
 */
record Dockerfile(Path path, List<Instruction> instructions) {

    /** One instruction: the upper-cased keyword and the rest of the (joined) line. */
    record Instruction(String keyword, String arguments) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    static Dockerfile parse(Path path) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Project.read(path).split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue; // comments (and parser directives) are dropped, also inside continued instructions
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String joined = current.toString().strip();
            current.setLength(0);
            if (joined.isEmpty()) {
                continue;
            }
            String[] parts = joined.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(java.util.Locale.ROOT),
                    parts.length > 1 ? parts[1].strip() : ""));
        }
        return new Dockerfile(path, List.copyOf(instructions));
    }

    /** {@code ARG name=default} before the first {@code FROM}: the values {@code FROM} lines may use. */
    Map<String, String> globalArgs() {
        Map<String, String> args = new LinkedHashMap<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                break;
            }
            if (instruction.keyword().equals("ARG")) {
                String[] nameValue = instruction.arguments().split("=", 2);
                args.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
            }
        }
        return args;
    }

    /** The image of every stage, in order, with global ARG defaults substituted; the last is the runtime's. */
    List<String> stageImages() {
        Map<String, String> args = globalArgs();
        List<String> images = new ArrayList<>();
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                String image = instruction.arguments().split("\\s+")[0];
                Matcher matcher = VARIABLE.matcher(image);
                StringBuilder resolved = new StringBuilder();
                while (matcher.find()) {
                    String value = args.get(matcher.group(1));
                    if (value == null) {
                        throw new IllegalStateException(path + ": FROM uses undeclared ARG " + matcher.group(1));
                    }
                    matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
                }
                matcher.appendTail(resolved);
                images.add(resolved.toString());
            }
        }
        return images;
    }

    /** The instructions of one stage (0 = the first {@code FROM}); the runtime stage is the last. */
    List<Instruction> stage(int index) {
        List<Instruction> stage = new ArrayList<>();
        int seen = -1;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                seen++;
                continue;
            }
            if (seen == index) {
                stage.add(instruction);
            }
        }
        return stage;
    }

    List<Instruction> runtimeStage() {
        return stage(stageImages().size() - 1);
    }

    /** Every instruction of the runtime stage with this keyword. */
    List<String> runtime(String keyword) {
        return runtimeStage().stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** {@code ENV} of the runtime stage, in the {@code NAME=value} form (double quotes removed). */
    Map<String, String> runtimeEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String arguments : runtime("ENV")) {
            Matcher matcher = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S*))").matcher(arguments);
            while (matcher.find()) {
                env.put(matcher.group(1), matcher.group(3) != null ? matcher.group(3) : matcher.group(4));
            }
        }
        return env;
    }

    /** Ports of the runtime stage's {@code EXPOSE}. */
    List<Integer> exposedPorts() {
        return runtime("EXPOSE").stream().flatMap(arguments -> Arrays.stream(arguments.split("\\s+")))
                .map(port -> Integer.valueOf(port.replace("/tcp", ""))).toList();
    }

    /** A JSON-array (exec form) instruction of the runtime stage, e.g. ENTRYPOINT; empty when absent. */
    List<String> execForm(String keyword) {
        List<String> found = runtime(keyword);
        if (found.isEmpty()) {
            return List.of();
        }
        try {
            return List.of(Project.YAML.readValue(found.get(found.size() - 1), String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(path + ": " + keyword + " is not in exec (JSON array) form", e);
        }
    }

    /** Where the runtime stage's {@code COPY} puts a source (the last argument of the COPY naming it). */
    Optional<String> copyDestination(String source) {
        for (String arguments : runtime("COPY")) {
            List<String> words = Arrays.stream(arguments.split("\\s+")).filter(w -> !w.startsWith("--")).toList();
            if (words.size() >= 2 && words.subList(0, words.size() - 1).contains(source)) {
                return Optional.of(words.get(words.size() - 1));
            }
        }
        return Optional.empty();
    }

    /** The first RUN of a stage that mentions the text. */
    Optional<String> run(int stage, String containing) {
        return stage(stage).stream().filter(i -> i.keyword().equals("RUN") && i.arguments().contains(containing))
                .map(Instruction::arguments).findFirst();
    }
}
