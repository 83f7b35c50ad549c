package io.streamrec.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamrec.demo.docs.Markdown.CodeBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every command shown in README.md and docs/ works on a fresh clone: each line of a shell code block, and each
 * inline code span that starts like one of the project's commands, is judged by {@link DocumentedCommands}
 * (real picocli parsers and {@code --help}, scripts, modules, files, routes); a command written in a block
 * without a shell language is a problem too, so none escapes the check. Nothing here builds or runs a
 * benchmark: {@code --help} only.
 */
class DocumentedCommandsTest {

    /** Info strings of blocks whose lines are commands; in {@code console} blocks only the {@code $ } lines. */
    private static final Set<String> SHELL_LANGUAGES = Set.of("sh", "bash", "shell", "console");

    /** Blocks with these info strings hold diagrams or plain text, which must not hide a command. */
    private static final Set<String> PLAIN_LANGUAGES = Set.of("", "text");

    /** First words that make a line of a plain block look like a command. */
    private static final Set<String> COMMAND_WORDS = Set.of("./streamrec", "java", "mvn", "curl", "docker",
            "kubectl", "trainer/bench.sh", "streams-app/bench/scoring.sh", ".ci/run", "time", "$", "git", "cd",
            "trainer", "streamrec", "./mvnw");

    /** How an inline code span starts when it is a whole command (and not, say, an option or a key). */
    private static final List<String> INLINE_COMMAND_STARTS = List.of("./streamrec", "time ./streamrec", "java -",
            "trainer/bench.sh", "streams-app/bench/scoring.sh", ".ci/run", "mvn ", "./mvnw ", "curl ", "docker ",
            "kubectl ");

    /** One command line of a document, continuation lines joined. */
    record CommandLine(Path file, int line, String text) {
        String where() {
            return file.getFileName() + ":" + line + ": " + text;
        }
    }

    private final Path root = Markdown.projectRoot();
    private final DocumentedCommands commands = new DocumentedCommands(root);

    @Test
    void everyCommandInTheUserDocumentsIsRecognisedAndWorks() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path document : Markdown.userDocuments(root)) {
            List<CommandLine> lines = new ArrayList<>(inlineCommands(document, Markdown.read(document)));
            for (CodeBlock block : Markdown.codeBlocks(document, Markdown.read(document))) {
                problems.addAll(commandsOutsideShellBlocks(block));
                lines.addAll(commandLines(block));
            }
            for (CommandLine line : lines) {
                for (List<String> command : ShellWords.commands(line.text())) {
                    commands.problems(command).forEach(problem -> problems.add(line.where() + "\n  " + problem));
                    checked++;
                }
            }
        }
        assertThat(problems).as("documented commands").isEmpty();
        assertThat(checked).as("commands checked").isGreaterThanOrEqualTo(20);
    }

    /** The inline code spans of a document that are commands. */
    static List<CommandLine> inlineCommands(Path document, String text) {
        return Markdown.inlineCode(document, text).stream()
                .filter(span -> INLINE_COMMAND_STARTS.stream().anyMatch(span.text()::startsWith))
                .map(span -> new CommandLine(span.file(), span.line(), span.text()))
                .toList();
    }

    @Test
    void theReadmeShowsTheTwoCommandsAndCiRunsExactlyTheTestOne() {
        List<String> readmeCommands = new ArrayList<>();
        Path readme = root.resolve("README.md");
        for (CodeBlock block : Markdown.codeBlocks(readme, Markdown.read(readme))) {
            commandLines(block).forEach(line -> readmeCommands.add(line.text()));
        }
        assertThat(readmeCommands).contains("./streamrec demo", "mvn -B verify");
        assertThat(Markdown.read(root.resolve(".ci/run")).lines().filter(line -> line.startsWith("exec ")))
                .containsExactly("exec mvn -B verify");
    }

    @Test
    void unknownCommandsOptionsModulesFilesAndRoutesAreProblems() {
        assertThat(problemsOf("./streamrec bench --variant neumf --rates 250,500 --app-set a=b")).isEmpty();
        assertThat(problemsOf("java -Xmx1g -jar trainer/target/trainer-0.1.0-SNAPSHOT.jar republish --version 4"))
                .isEmpty();
        assertThat(problemsOf("./streamrec demo --no-such-option")).singleElement().asString()
                .contains("does not parse");
        assertThat(problemsOf("./streamrec no-such-command")).isNotEmpty();
        assertThat(problemsOf("trainer/bench.sh bench --rates 250")).isNotEmpty();
        assertThat(problemsOf("java -jar trainer/target/trainer-0.1.0-SNAPSHOT.jar republish")).isNotEmpty();
        assertThat(problemsOf("java -jar schemas/target/schemas-0.1.0-SNAPSHOT.jar")).isNotEmpty();
        assertThat(problemsOf("java -jar demo/target/demo-9.9.jar demo")).isNotEmpty();
        assertThat(problemsOf("mvn -B -pl trainer,no-such-module verify")).singleElement().asString()
                .contains("no-such-module");
        assertThat(problemsOf("./mvnw -q -B -pl examples -am package")).isEmpty();
        assertThat(problemsOf("./mvnw -pl no-such-module package")).singleElement().asString()
                .contains("no-such-module");
        assertThat(problemsOf("./streamrec produce --user me --item i42 --type purchase")).isEmpty();
        assertThat(problemsOf("./streamrec consume --user me --from-beginning --max 1")).isEmpty();
        assertThat(problemsOf("./streamrec produce --user me")).singleElement().asString()
                .contains("does not parse");
        assertThat(problemsOf("curl -s http://localhost:8080/users/u1/recommendations?k=5")).isEmpty();
        assertThat(problemsOf("curl -s http://localhost:8079/users/u1/recommendations")).isNotEmpty();
        assertThat(problemsOf("curl -s http://localhost:8080/no/such/route")).isNotEmpty();
        assertThat(problemsOf("kubectl apply -k k8s/overlays/staging")).isNotEmpty();
        assertThat(problemsOf("docker compose -f infra/no-such-compose.yml up")).isNotEmpty();
        assertThat(problemsOf("rm -rf run")).singleElement().asString().contains("not a command");
    }

    @Test
    void commandsAreFoundInEveryShapeTheDocumentsWriteThem() {
        Path file = Path.of("example.md");
        CodeBlock unlabelled = new CodeBlock(file, 1, "", List.of(" clicks ──▶ app", "./streamrec demo --short"));
        CodeBlock console = new CodeBlock(file, 1, "console", List.of("$ mvn -B \\", "  verify", "BUILD SUCCESS"));
        assertThat(commandsOutsideShellBlocks(unlabelled)).singleElement().asString().contains("./streamrec demo");
        assertThat(commandLines(console)).extracting(CommandLine::text).containsExactly("mvn -B verify");
        String prose = "Run `./streamrec demo\n--short`, then set `--rate`.\n```sh\n`./streamrec x`\n```\n";
        assertThat(inlineCommands(file, prose)).extracting(CommandLine::text, CommandLine::line)
                .containsExactly(tuple("./streamrec demo --short", 1));
    }

    private List<String> problemsOf(String line) {
        List<String> problems = new ArrayList<>();
        ShellWords.commands(line).forEach(command -> problems.addAll(commands.problems(command)));
        return problems;
    }

    /** The command lines of a shell block (continuations joined, comments and output left out). */
    static List<CommandLine> commandLines(CodeBlock block) {
        if (!SHELL_LANGUAGES.contains(block.language())) {
            return List.of();
        }
        boolean console = block.language().equals("console");
        List<CommandLine> lines = new ArrayList<>();
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < block.lines().size(); i++) {
            String line = block.lines().get(i).strip();
            if (pending == null) {
                boolean command = console ? line.startsWith("$ ") : !line.isEmpty() && !line.startsWith("#");
                if (!command) {
                    continue;
                }
                pending = new StringBuilder(console ? line.substring(2) : line);
                start = block.line() + 1 + i;
            } else {
                pending.append(' ').append(line);
            }
            if (pending.toString().endsWith("\\")) {
                pending.setLength(pending.length() - 1);
            } else {
                lines.add(new CommandLine(block.file(), start, pending.toString().strip().replaceAll("\\s+", " ")));
                pending = null;
            }
        }
        return lines;
    }

    /** Lines of a plain block that start like a command: they belong in a shell block, where they are checked. */
    static List<String> commandsOutsideShellBlocks(CodeBlock block) {
        if (!PLAIN_LANGUAGES.contains(block.language())) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < block.lines().size(); i++) {
            String[] words = block.lines().get(i).strip().split("\\s+");
            if (COMMAND_WORDS.contains(words[0])) {
                problems.add(block.file().getFileName() + ":" + (block.line() + 1 + i) + ": a command outside a shell"
                        + " block (use ```sh so it is checked): " + block.lines().get(i).strip());
            }
        }
        return problems;
    }
}
