package io.streamrec.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module boundaries the poms enforce (maven-enforcer-plugin, execution {@code module-boundaries} of each
 * module) really fail a build that crosses them. Each case copies the project's poms, and only the poms, into a
 * temporary directory, makes one module depend on a module it must not, and runs {@code mvn -o -q -B validate}
 * there: the build must fail with the enforcer's message for that module. Skipped when {@code mvn} is not on
 * the PATH. The copies' other dependencies resolve from the local repository the outer build filled.
 */
class ModuleBoundariesTest {

    private static final List<String> MODULES = List.of("schemas", "devstack", "trainer", "streams-app", "examples", "demo");
    private static final Pattern TRAINER_DEPENDENCY = Pattern.compile(
            "(<dependency>\\s*(?:<!--[^>]*-->\\s*)?<groupId>io\\.streamrec</groupId>\\s*"
                    + "<artifactId>trainer</artifactId>\\s*)<scope>test</scope>(\\s*</dependency>)");
    private static final long BUILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path copy;

    @BeforeAll
    static void needsMaven() {
        assumeTrue(mavenOnPath(), "no 'mvn' on the PATH");
    }

    @Test
    void streamsAppMainCodeMayNotDependOnTheTrainer() throws Exception {
        copyPoms();
        rewriteStreamsAppsTrainerDependency("$1$2"); // the same dependency without its test scope

        Build build = validate("streams-app");

        assertThat(build.exitCode()).as(build.output()).isNotZero();
        assertThat(build.output())
                .contains("BannedDependencies")
                .contains("streams-app uses trainer in tests only")
                .contains("io.streamrec:trainer");
    }

    @Test
    void trainerMayNotDependOnTheStreamsApp() throws Exception {
        copyPoms();
        // Without the streams app's test dependency on the trainer, so the reactor has no cycle for the
        // enforcer to be pre-empted by.
        rewriteStreamsAppsTrainerDependency("");
        Path trainer = copy.resolve("trainer/pom.xml");
        String trainerPom = Files.readString(trainer, StandardCharsets.UTF_8);
        int dependenciesTag = trainerPom.indexOf("<dependencies>");
        assertThat(dependenciesTag).as("trainer's <dependencies>").isNotNegative();
        int dependencies = dependenciesTag + "<dependencies>".length();
        Files.writeString(trainer, trainerPom.substring(0, dependencies) + """

                    <dependency>
                      <groupId>io.streamrec</groupId>
                      <artifactId>streams-app</artifactId>
                      <version>${project.version}</version>
                    </dependency>""" + trainerPom.substring(dependencies), StandardCharsets.UTF_8);

        Build build = validate("trainer");

        assertThat(build.exitCode()).as(build.output()).isNotZero();
        assertThat(build.output())
                .contains("BannedDependencies")
                .contains("trainer must not depend on streams-app or demo")
                .contains("io.streamrec:streams-app");
    }

    /** Replaces the copy's test-scoped trainer dependency of streams-app ({@link #TRAINER_DEPENDENCY}). */
    private void rewriteStreamsAppsTrainerDependency(String replacement) throws IOException {
        Path streamsApp = copy.resolve("streams-app/pom.xml");
        Matcher testScoped = TRAINER_DEPENDENCY.matcher(Files.readString(streamsApp, StandardCharsets.UTF_8));
        assertThat(testScoped.find()).as("streams-app's test-scoped trainer dependency").isTrue();
        Files.writeString(streamsApp, testScoped.replaceFirst(replacement), StandardCharsets.UTF_8);
    }

    private void copyPoms() throws IOException {
        Path root = Path.of(System.getProperty("streamrec.project.root", "..")).toAbsolutePath().normalize();
        Files.copy(root.resolve("pom.xml"), copy.resolve("pom.xml"));
        for (String module : MODULES) {
            Files.createDirectories(copy.resolve(module));
            Files.copy(root.resolve(module).resolve("pom.xml"), copy.resolve(module).resolve("pom.xml"));
        }
    }

    /** {@code mvn -o -q -B validate} of the module and what it needs, in the copy. */
    private Build validate(String module) throws IOException, InterruptedException {
        Path log = copy.resolve("mvn.log");
        Process mvn = new ProcessBuilder("mvn", "-o", "-q", "-B", "-pl", module, "-am", "validate")
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!mvn.waitFor(BUILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            mvn.destroyForcibly().waitFor();
            throw new AssertionError("mvn validate took over " + BUILD_TIMEOUT_SECONDS + " s: "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Build(mvn.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static boolean mavenOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "mvn"))) {
                return true;
            }
        }
        return false;
    }

    /** What one Maven run did: its exit code and its output (stdout and stderr). */
    private record Build(int exitCode, String output) {
    }
}
