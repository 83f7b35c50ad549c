package io.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.demo.run.DemoResult;
import io.streamrec.demo.run.DemoRun;
import io.streamrec.trainer.service.RefitOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command in its short mode, end to end: every replayed click answered downstream, a refit
 * part-way that the gate publishes for the documented reason and that is swapped in without a lost list, and a
 * report written.
 */
class DemoIT {

    @Test
    void theShortDemoAnswersEveryClickAndSwapsToTheRefittedModel(@TempDir Path directory) throws Exception {
        DemoCommand command = new DemoCommand();
        new CommandLine(command).parseArgs("--short", "--dir", directory.toString());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoResult result;
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            result = new DemoRun(command.settings(), out).run();
        }
        String narration = console.toString(StandardCharsets.UTF_8);

        assertThat(result.clicksSent()).as(narration).isGreaterThan(1_000);
        assertThat(result.clicksFailed()).isZero();
        assertThat(result.watched().lists()).as("every click answered exactly once").isEqualTo(result.clicksSent());
        assertThat(result.refits()).extracting(RefitOutcome::decision).as(narration)
                .containsExactly(RefitOutcome.Decision.PUBLISHED, RefitOutcome.Decision.PUBLISHED);
        assertRefitPublishedByTheGate(result.refits().get(0), result.refits().get(1),
                command.settings().gateTolerance());
        assertThat(result.servingVersion()).isEqualTo(2);
        assertThat(result.watched().swaps()).as(narration).hasSize(1)
                .first().satisfies(swap -> {
                    assertThat(swap.from()).isEqualTo("v1");
                    assertThat(swap.to()).isEqualTo("v2");
                });
        assertThat(result.watched().listsByVersion()).containsKeys("v1", "v2");
        assertThat(narration).contains("hot swap seen downstream: v1 -> v2").contains("refit PUBLISHED v2");
        String report = Files.readString(result.report());
        assertThat(report).contains("<svg").contains("Hot swaps").contains("v1 → v2");
    }

    /**
     * Step 6 of the README's "What the demo shows": the refit reads the interactions topic again (history plus
     * the clicks so far), is compared with the serving v1 on the same holdout, and is published as v2 because it
     * is at least as good, within the demo's gate tolerance. Whether that holdout is the fresh users' (those who
     * acted after v1's data) depends on how many clicks the pipeline has stored when the refit starts, which on a
     * loaded machine can fall under the gate's minimum, so it is not asserted.
     */
    private static void assertRefitPublishedByTheGate(RefitOutcome first, RefitOutcome refit, double tolerance) {
        assertThat(first.version()).isEqualTo(1);
        assertThat(refit.version()).isEqualTo(2);
        assertThat(refit.servingVersion()).as("the refit is compared with the serving model").isEqualTo(1);
        assertThat(refit.pairs()).as("the refit reads history plus the clicks so far").isGreaterThan(first.pairs());
        assertThat(refit.gateUsers()).as(refit.reason()).isPositive();
        assertThat(refit.candidate()).as(refit.reason()).hasValueSatisfying(candidate ->
                assertThat(refit.serving()).as(refit.reason()).hasValueSatisfying(serving ->
                        assertThat(candidate.ndcg()).as("v2 at least as good as v1 on the gate's metric, ndcg@10")
                                .isGreaterThanOrEqualTo(serving.ndcg() - tolerance)));
    }
}
