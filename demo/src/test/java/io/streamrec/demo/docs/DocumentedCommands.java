package io.streamrec.demo.docs;

import io.streamrec.app.StreamsAppCommand;
import io.streamrec.app.http.Route;
import io.streamrec.demo.StreamrecCli;
import io.streamrec.devstack.DevStackCli;
import io.streamrec.trainer.cli.TrainerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Judges one documented command against the repository and the code: the project's command lines are parsed
 * by their real picocli classes and asked for {@code --help} in-process, scripts must exist and be executable,
 * Maven (or the wrapper) must name modules the build has, files and directories given to docker and kubectl must exist, and
 * HTTP paths must be routes of the streams app. A command of any other kind is unrecognised, which is a
 * problem too: a document that shows a new kind of command needs a check here first.
 */
final class DocumentedCommands {

    /** The runnable modules and the command class each one's jar runs (its pom's {@code app.main.class}). */
    private static final Map<String, Supplier<Object>> RUNNABLE_MODULES = Map.of(
            "demo", StreamrecCli::new,
            "trainer", TrainerCli::new,
            "devstack", DevStackCli::new,
            "streams-app", StreamsAppCommand::new);

    /** Ports the documents use for the streams app: the API, the second compose instance, management. */
    private static final Set<Integer> STREAMS_APP_API_PORTS = Set.of(8080, 8082);
    private static final int STREAMS_APP_MANAGEMENT_PORT = 8079;

    private static final Pattern ENVIRONMENT_ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final Pattern JAR = Pattern.compile("([a-z-]+)/target/([a-z-]+)-(.+)\\.jar");

    private final Path root;

    DocumentedCommands(Path root) {
        this.root = root;
    }

    /** What is wrong with the command, or nothing. */
    List<String> problems(List<String> command) {
        List<String> words = withoutPrefixes(command);
        if (words.isEmpty()) {
            return List.of("an empty command");
        }
        List<String> args = words.subList(1, words.size());
        return switch (words.get(0)) {
            case "./streamrec" -> both(script("streamrec"), picocli(StreamrecCli::new, args));
            case "trainer/bench.sh" -> both(script("trainer/bench.sh"), picocli(TrainerCli::new, args));
            case "streams-app/bench/scoring.sh" -> script("streams-app/bench/scoring.sh");
            case ".ci/run" -> both(script(".ci/run"), args.isEmpty() ? List.of() : List.of("it takes no arguments"));
            case "java" -> javaJar(args);
            case "mvn" -> maven(args);
            case "./mvnw" -> both(script("mvnw"), maven(args));
            case "curl" -> curl(args);
            case "docker" -> docker(args);
            case "kubectl" -> kubectl(args);
            default -> List.of("not a command this test knows how to check: " + String.join(" ", words));
        };
    }

    /** The command without leading {@code NAME=value} assignments and {@code time}. */
    static List<String> withoutPrefixes(List<String> words) {
        int first = 0;
        while (first < words.size()
                && (ENVIRONMENT_ASSIGNMENT.matcher(words.get(first)).matches() || words.get(first).equals("time"))) {
            first++;
        }
        return words.subList(first, words.size());
    }

    private static List<String> both(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private List<String> script(String relative) {
        Path script = root.resolve(relative);
        if (!Files.isRegularFile(script)) {
            return List.of(relative + " does not exist");
        }
        return Files.isExecutable(script) ? List.of() : List.of(relative + " is not executable");
    }

    /**
     * Parses the arguments with the real command class, then runs the (sub)command they select with
     * {@code --help}: it must exit 0 and print its usage.
     */
    static List<String> picocli(Supplier<Object> command, List<String> args) {
        CommandLine.ParseResult parsed;
        try {
            parsed = new CommandLine(command.get()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return List.of("does not parse: " + e.getMessage());
        }
        List<String> help = new ArrayList<>();
        for (CommandLine.ParseResult sub = parsed.subcommand(); sub != null; sub = sub.subcommand()) {
            help.add(sub.commandSpec().name());
        }
        help.add("--help");
        StringWriter output = new StringWriter();
        CommandLine commandLine = new CommandLine(command.get());
        commandLine.setOut(new PrintWriter(output, true));
        commandLine.setErr(new PrintWriter(output, true));
        int exitCode = commandLine.execute(help.toArray(String[]::new));
        if (exitCode != 0 || !output.toString().contains("Usage:")) {
            return List.of(String.join(" ", help) + " exited " + exitCode + ": " + output);
        }
        return List.of();
    }

    /** {@code java [JVM options] -jar MODULE/target/MODULE-VERSION.jar args}. */
    private List<String> javaJar(List<String> args) {
        int jarOption = 0;
        while (jarOption < args.size() && args.get(jarOption).startsWith("-") && !args.get(jarOption).equals("-jar")) {
            jarOption++;
        }
        if (jarOption + 1 >= args.size() || !args.get(jarOption).equals("-jar")) {
            return List.of("java without JVM options then -jar JAR: java " + String.join(" ", args));
        }
        String jar = args.get(jarOption + 1);
        Matcher matcher = JAR.matcher(jar);
        if (!matcher.matches() || !matcher.group(1).equals(matcher.group(2))
                || !RUNNABLE_MODULES.containsKey(matcher.group(1))) {
            return List.of("not a runnable module's jar: " + jar);
        }
        String module = matcher.group(1);
        Supplier<Object> command = RUNNABLE_MODULES.get(module);
        List<String> problems = new ArrayList<>();
        if (!matcher.group(3).equals(ProjectBuild.version(root))) {
            problems.add(jar + ": the build makes version " + ProjectBuild.version(root));
        }
        String mainClass = command.get().getClass().getName();
        if (!ProjectBuild.mainClass(root, module).equals(Optional.of(mainClass))) {
            problems.add(jar + ": its pom's app.main.class is not " + mainClass);
        }
        problems.addAll(picocli(command, args.subList(jarOption + 2, args.size())));
        return problems;
    }

    /** Every module named by {@code -pl} / {@code --projects} is a module of the build. */
    private List<String> maven(List<String> args) {
        List<String> problems = new ArrayList<>();
        Set<String> modules = ProjectBuild.modules(root);
        for (int i = 0; i < args.size(); i++) {
            boolean projects = args.get(i).equals("-pl") || args.get(i).equals("--projects");
            if (projects && i + 1 >= args.size()) {
                problems.add(args.get(i) + " without modules");
            }
            if (projects && i + 1 < args.size()) {
                for (String module : args.get(i + 1).split(",")) {
                    if (!modules.contains(module.replaceFirst("^[:!]+", ""))) {
                        problems.add("mvn names a module the build does not have: " + module);
                    }
                }
            }
        }
        return problems;
    }

    /** A request to the streams app: a route of its API, or of the management listener on that port. */
    private static List<String> curl(List<String> args) {
        Optional<URI> url = args.stream().filter(arg -> arg.contains("://")).findFirst().map(URI::create);
        if (url.isEmpty()) {
            return List.of("curl without a URL");
        }
        int port = url.get().getPort();
        Optional<Route.Match> match = Route.match(url.get().getRawPath());
        if (STREAMS_APP_API_PORTS.contains(port) && match.isPresent()) {
            return List.of();
        }
        if (port == STREAMS_APP_MANAGEMENT_PORT && match.isPresent() && match.get().route().management()) {
            return List.of();
        }
        return List.of("not a streams-app route on that port: " + url.get());
    }

    /** {@code docker compose -f FILE ...} and {@code docker build -f FILE ...}: the file exists. */
    private List<String> docker(List<String> args) {
        if (args.isEmpty() || !Set.of("compose", "build").contains(args.get(0))) {
            return List.of("docker: only compose and build are checked: docker " + String.join(" ", args));
        }
        int file = args.indexOf("-f");
        if (file < 0 || file + 1 >= args.size()) {
            return List.of("docker " + args.get(0) + " without -f FILE");
        }
        return Files.isRegularFile(root.resolve(args.get(file + 1))) ? List.of()
                : List.of("docker " + args.get(0) + ": no file " + args.get(file + 1));
    }

    /** {@code kubectl kustomize DIR} and {@code kubectl apply|delete -k DIR}: DIR is a kustomization. */
    private List<String> kubectl(List<String> args) {
        String directory;
        if (args.size() == 2 && args.get(0).equals("kustomize")) {
            directory = args.get(1);
        } else if (args.size() == 3 && Set.of("apply", "delete").contains(args.get(0)) && args.get(1).equals("-k")) {
            directory = args.get(2);
        } else {
            return List.of("kubectl: only kustomize DIR and apply|delete -k DIR are checked");
        }
        return Files.isRegularFile(root.resolve(directory).resolve("kustomization.yaml")) ? List.of()
                : List.of("kubectl: no kustomization in " + directory);
    }
}
