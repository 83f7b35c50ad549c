package io.streamrec.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChildJvm#stop}: a child that crashes on the way out is reported; one that stops cleanly is not. */
class ChildJvmStopTest {

    private static final Duration GRACE = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void aChildThatCrashesWhileStoppingIsAnUnexpectedExit() throws Exception {
        try (ChildJvm child = started(List.of(SleepingChild.CRASH_ON_STOP))) {
            child.stop(GRACE);

            assertThat(child.unexpectedExits()).singleElement().asString()
                    .contains("child crashed while stopping (exit 134");
        }
    }

    @Test
    void aChildThatStopsOnSigtermIsNot() throws Exception {
        try (ChildJvm child = started(List.of())) {
            child.stop(GRACE);

            assertThat(child.running()).isFalse();
            assertThat(child.unexpectedExits()).isEmpty();
        }
    }

    private ChildJvm started(List<String> arguments) throws Exception {
        Path log = directory.resolve("logs/child.log");
        ChildJvm child = ChildJvm.of("child", SleepingChild.jar(directory), List.of("-Xmx64m"), arguments, log);
        child.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(SleepingChild.STARTED))) {
            assertThat(System.nanoTime()).as("the child started").isLessThan(deadline);
            Thread.sleep(50);
        }
        return child;
    }
}
