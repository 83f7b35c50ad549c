package io.streamrec.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.http.ApiItSupport;
import io.streamrec.app.model.TestModels;
import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real app process, in a JVM of its own, while it loads one model release after another: the app
 * stops cleanly. ONNX Runtime frees its native environment in a JVM shutdown hook, so an app that closed in a
 * shutdown hook of its own kept building sessions on freed memory and died with SIGSEGV; the app now closes on
 * SIGTERM before the JVM's shutdown begins, and waits for a session being built.
 */
@ExtendWith(LocalStackExtension.class)
class StopWhileLoadingIT {

    /** Large enough that building a session takes a good part of each load (the window the crash needs). */
    private static final int ITEMS = 40_000;
    private static final int DIMENSION = 64;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void sigtermWhileReleasesLoadStopsTheAppWithoutACrash(LocalStack stack, @TempDir Path directory)
            throws Exception {
        ApiItSupport support = ApiItSupport.create(stack, "stop-it", 1);
        DotModel model = DotModel.random(50, ITEMS, DIMENSION, 5, 1);
        Path graph = directory.resolve("graph.onnx");
        Files.write(graph, model.onnx());
        support.publish(release(model, graph, 1));

        Path log = directory.resolve("streams-app.log");
        Process app = start(support.appSettings(directory.resolve("state")), directory, log);
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            for (long version = 2; publishing.get(); version++) {
                support.publish(release(model, graph, version));
            }
        }, "release-publisher");
        try {
            awaitLog(app, log, "version=1 reason=swapped", 1);
            publisher.start();
            awaitLog(app, log, "reason=swapped", 4); // releases now load back to back
            app.destroy(); // SIGTERM
            assertThat(app.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the app exits; its output:\n%s",
                    output(log)).isTrue();
        } finally {
            publishing.set(false);
            publisher.join(TIMEOUT.toMillis());
            app.destroyForcibly();
        }

        String output = output(log);
        assertThat(output).as("the JVM did not crash").doesNotContain("SIGSEGV", "A fatal error has been detected");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(path -> path.getFileName().toString())).as("crash reports")
                    .noneMatch(name -> name.startsWith("hs_err"));
        }
        assertThat(app.exitValue()).as("exit status (134: ONNX Runtime aborted, its environment freed under a"
                + " load; 143: the JVM shut down on SIGTERM before the app had closed); output:\n%s", output)
                .isZero();
        assertThat(output).contains("event=stop_requested command=streams-app by=SIGTERM", "event=streams_app_stopped");
    }

    private static ModelRelease release(DotModel model, Path graph, long version) {
        try {
            byte[] onnx = Files.readAllBytes(graph);
            return TestModels.sign(TestModels.release("default", version, model, onnx).setOnnxModel(null)
                    .setArtifactUri(graph.toUri().toString()).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code java -cp <this test's class path> StreamsAppCommand --set ...}, crash reports kept in the directory. */
    private static Process start(Map<String, Object> settings, Path directory, Path log) throws IOException {
        Path trustedKeys = directory.resolve("trusted.pem");
        Files.writeString(trustedKeys, ReleaseKeys.publicKeyPem(TestModels.TRAINER_KEY.getPublic()),
                StandardCharsets.UTF_8);
        settings.remove(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG);
        settings.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_FILE_CONFIG, trustedKeys.toString());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-XX:ErrorFile=" + directory.resolve("hs_err_pid%p.log"),
                "-cp", System.getProperty("java.class.path"), StreamsAppCommand.class.getName()));
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    private static void awaitLog(Process app, Path log, String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (occurrences(output(log), text) < times) {
            assertThat(app.isAlive()).as("the app runs; its output:\n%s", output(log)).isTrue();
            assertThat(System.nanoTime()).as("'%s' %d times within %s; output:\n%s", text, times, TIMEOUT, output(log))
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static int occurrences(String output, String text) {
        int count = 0;
        for (int at = output.indexOf(text); at >= 0; at = output.indexOf(text, at + text.length())) {
            count++;
        }
        return count;
    }

    private static String output(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
