package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.schemas.topics.ProvisionTopicsCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Dockerfiles in {@code infra/docker} and their entrypoint, checked without a Docker engine (there is none
 * here): each builds its own module, whose jar runs the app's command; pinned glibc Temurin 17 bases; a
 * non-root user; the exposed ports are the app's (http.port, and the streams app's http.management.port); the
 * image's environment keys are the app's keys; the entrypoint, run for real with a stand-in {@code java},
 * honours JAVA_OPTS and runs the jars the Dockerfile copies.
 */
class DockerImagesTest {

    /** The earliest time a zip entry can carry (maven-archiver refuses earlier outputTimestamps). */
    private static final long EARLIEST_ZIP_EPOCH_SECONDS = 315_532_802L;

    @ParameterizedTest
    @EnumSource(Image.class)
    void theImageBuildsItsModuleWhoseJarRunsTheAppsCommand(Image image) {
        Dockerfile dockerfile = image.dockerfile();
        assertThat(dockerfile.stageImages()).as("a build stage and a runtime stage").hasSize(2);
        String build = dockerfile.run(0, "mvn ").orElseThrow(() -> new AssertionError("no mvn build"));
        assertThat(build).contains("-pl " + image.module() + " -am package");
        assertThat(build).contains(image.module() + "/target/lib/");
        assertThat(Project.pomProperty(image.module(), "app.main.class")).as(image.module() + "'s main class")
                .isEqualTo(image.command().getName());
        // The reactor's copy-dependencies output is the jar's lib/ class path (parent pom): both reach /out.
        assertThat(build).contains("/out/lib/").contains("/out/app.jar");
        assertThat(dockerfile.copyDestination("/out/app.jar")).isPresent();
        assertThat(dockerfile.copyDestination("/out/lib/")).isPresent();
    }

    @Test
    void everyImageIsPinnedGlibcTemurin17AndBuiltAlike() {
        List<String> builds = new ArrayList<>();
        List<String> runtimes = new ArrayList<>();
        for (Image image : Image.values()) {
            List<String> stages = image.dockerfile().stageImages();
            builds.add(stages.get(0));
            runtimes.add(stages.get(1));
        }
        assertThat(builds).allMatch(from -> from.matches("maven:\\d+\\.\\d+\\.\\d+-eclipse-temurin-17"),
                "a pinned Maven on Temurin 17");
        // An exact JRE build on Ubuntu (glibc): ONNX Runtime and RocksDB ship glibc natives, so never Alpine.
        assertThat(runtimes).allMatch(from -> from.matches("eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre-[a-z]+")
                && !from.contains("alpine"), "a pinned glibc Temurin 17 JRE");
        assertThat(builds).as("the same build image").containsOnly(builds.get(0));
        assertThat(runtimes).as("the same runtime image").containsOnly(runtimes.get(0));
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void theBuildIsRepeatable(Image image) {
        Dockerfile dockerfile = image.dockerfile();
        List<String> buildArgs = dockerfile.stage(0).stream().filter(i -> i.keyword().equals("ARG"))
                .map(Dockerfile.Instruction::arguments).toList();
        String epoch = buildArgs.stream().filter(arg -> arg.startsWith("SOURCE_DATE_EPOCH=")).findFirst()
                .orElseThrow(() -> new AssertionError("no ARG SOURCE_DATE_EPOCH in the build stage"));
        assertThat(Long.parseLong(epoch.substring(epoch.indexOf('=') + 1))).isGreaterThanOrEqualTo(
                EARLIEST_ZIP_EPOCH_SECONDS);
        assertThat(dockerfile.run(0, "mvn ").orElseThrow())
                .contains("-Dproject.build.outputTimestamp=\"${SOURCE_DATE_EPOCH}\"");
        List<String> ignored = List.of(Project.read(Project.file(".dockerignore")).split("\n"));
        assertThat(ignored).as("build output and VCS data stay out of the context").contains("**/target/", ".git/");
        // The one file of infra/ the images copy stays in the context.
        String entrypointSource = "infra/docker/entrypoint.sh";
        assertThat(dockerfile.copyDestination(entrypointSource)).isPresent();
        assertThat(ignored).contains("!" + entrypointSource);
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void theRuntimeIsNonRootWithoutHealthcheckAndStartsThroughTheEntrypoint(Image image) {
        Dockerfile dockerfile = image.dockerfile();
        List<String> users = dockerfile.runtime("USER");
        assertThat(users).hasSize(1);
        for (String id : users.get(0).split(":")) {
            assertThat(Long.parseLong(id)).as("numeric, non-root (runAsNonRoot can check it)").isPositive();
        }
        assertThat(dockerfile.runtime("WORKDIR")).containsExactly("/app");
        assertThat(dockerfile.runtime("HEALTHCHECK")).as("orchestrators probe").isEmpty();
        assertThat(dockerfile.execForm("ENTRYPOINT"))
                .containsExactly(dockerfile.copyDestination("infra/docker/entrypoint.sh").orElseThrow());
        assertThat(dockerfile.runtimeEnv()).containsKey("JAVA_OPTS");
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void theImagesEnvironmentIsTheAppsConfigurationAndItExposesTheHttpPort(Image image) {
        Dockerfile dockerfile = image.dockerfile();
        if (image == Image.DEMO) {
            // No default program: its commands take flags and serve nothing.
            assertThat(dockerfile.execForm("CMD")).as("no default command: it prints its usage").isEmpty();
            assertThat(dockerfile.exposedPorts()).as("the command line serves nothing").isEmpty();
            assertThat(dockerfile.runtimeEnv().keySet()).as("flags configure it, not STREAMREC_* variables")
                    .noneMatch(variable -> variable.startsWith("STREAMREC_"));
            return;
        }
        Program program = Program.of(image, dockerfile.execForm("CMD")).program();
        List<String> problems = new ArrayList<>();
        dockerfile.runtimeEnv().keySet().forEach(variable ->
                ConfigKeys.problem(program, variable).ifPresent(problems::add));
        assertThat(problems).isEmpty();
        Map<String, Integer> ports = ConfigKeys.httpPorts(program, ConfigKeys.fromEnvironment(dockerfile.runtimeEnv()));
        assertThat(dockerfile.exposedPorts()).as("EXPOSE is the program's ports " + ports)
                .containsExactlyInAnyOrderElementsOf(ports.values());
    }

    @ParameterizedTest
    @EnumSource(Image.class)
    void theEntrypointHonoursJavaOptsAndRunsTheCopiedJars(Image image, @TempDir Path bin) throws Exception {
        Dockerfile dockerfile = image.dockerfile();
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor argument in \"$@\"; do printf '%s\\n' \"$argument\"; done\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        String jar = dockerfile.copyDestination("/out/app.jar").orElseThrow();
        String lib = dockerfile.copyDestination("/out/lib/").orElseThrow();
        String libDirectory = lib.endsWith("/") ? lib : lib + "/";

        assertThat(runEntrypoint(bin, "-Xmx1g -Dstreamrec.check=yes", "serve", "--set", "a=b c"))
                .containsExactly("-Xmx1g", "-Dstreamrec.check=yes", "-jar", jar, "serve", "--set", "a=b c");
        assertThat(runEntrypoint(bin, null, "--help")).containsExactly("-jar", jar, "--help");
        String provisioning = ProvisionTopicsCommand.class.getName();
        assertThat(runEntrypoint(bin, "-Xss1m", Program.MAIN_OPTION, provisioning, "--bootstrap-server", "k:1"))
                .containsExactly("-Xss1m", "-cp", jar + ":" + libDirectory + "*", provisioning,
                        "--bootstrap-server", "k:1");
    }

    /** Runs the real entrypoint script with a stand-in java that prints its arguments, one per line. */
    private static List<String> runEntrypoint(Path bin, String javaOpts, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", Project.file("infra/docker/entrypoint.sh").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("PATH", bin + ":" + environment.getOrDefault("PATH", "/usr/bin:/bin"));
        environment.remove("JAVA_OPTS");
        if (javaOpts != null) {
            environment.put("JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
    }
}
