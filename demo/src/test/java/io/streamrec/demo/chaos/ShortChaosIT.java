package io.streamrec.demo.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite's short version on real processes (the broker, the registry and three app instances in their
 * own JVMs, built by this reactor): a kill -9 with a restart, a registry outage across an instance's cold start,
 * and a batch of bad records on clicks and models. Nothing valid may be lost, duplicated or dead-lettered, every bad
 * record must be dead-lettered, no process may exit on its own and no liveness probe may fail. The full suite is
 * {@code streamrec chaos}.
 */
class ShortChaosIT {

    /**
     * Batches that fill slowly at this rate, so clicks sit in the task's queue across commits and the kill -9
     * finds some there: the queue's durability is under test, not only the default path.
     */
    private static final Map<String, String> QUEUED_BATCHES = Map.of("scoring.batch.max.records", "8",
            "scoring.batch.max.wait.ms", "50");

    @Test
    void theShortScenarioLosesNothingAndDeadLettersEveryBadRecord(@TempDir Path directory) throws Exception {
        ChaosSuite.Options options = new ChaosSuite.Options(List.of("s"), 100, 3, "neumf", 20, 10, 120, 800, 200,
                directory, "-Xmx512m -XX:+ExitOnOutOfMemoryError", QUEUED_BATCHES, null, 7,
                Path.of("..").toAbsolutePath().normalize());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<ScenarioResult> results;
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            results = new ChaosSuite(options, out).runAll();
        }
        String narration = console.toString(StandardCharsets.UTF_8);

        assertThat(results).hasSize(1);
        ScenarioResult result = results.get(0);
        assertThat(result.error()).as(narration).isNull();
        Verifier.Tally tally = result.tally();
        assertThat(tally.clicks()).as(narration).isGreaterThan(3_000);
        assertThat(tally.lost()).as("valid clicks without a list\n" + narration).isZero();
        assertThat(tally.duplicated()).as("duplicate lists\n" + narration).isZero();
        assertThat(tally.validDeadLettered()).as("valid clicks dead-lettered\n" + narration).isZero();
        assertThat(result.badSent()).isEqualTo(1_000);
        assertThat(result.badDeadLettered()).as("bad records dead-lettered, by reason " + result.reasons())
                .isEqualTo(result.badSent());
        assertThat(result.reasons()).doesNotContainKey("(not dead-lettered)")
                .as("every dead letter in Kafka Streams' convention").doesNotContainKey(Verifier.OUTSIDE_CONVENTION);
        assertThat(result.unexpectedExits()).as(narration).isEmpty();
        assertThat(result.livenessProbes()).as("the prober reached the instances").isPositive();
        assertThat(result.livenessFailures()).as(narration).isZero();
        assertThat(Files.readString(directory.resolve("report.html"))).contains("<svg", "kill -9 app-1");
    }
}
