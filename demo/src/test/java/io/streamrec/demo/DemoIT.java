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
 * published part-way and swapped in without a lost list, and a report written.
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
}
