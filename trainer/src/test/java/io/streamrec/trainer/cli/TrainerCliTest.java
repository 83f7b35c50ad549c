package io.streamrec.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every trainer subcommand answers {@code --help} with its usage and exit code 0, as the documents promise. */
class TrainerCliTest {

    @Test
    void everySubcommandAnswersHelp() {
        for (String subcommand : new CommandLine(new TrainerCli()).getSubcommands().keySet()) {
            StringWriter output = new StringWriter();
            CommandLine commandLine = new CommandLine(new TrainerCli());
            commandLine.setOut(new PrintWriter(output, true));
            commandLine.setErr(new PrintWriter(output, true));
            assertThat(commandLine.execute(subcommand, "--help")).as(subcommand + " --help: " + output).isZero();
            assertThat(output.toString()).as(subcommand).startsWith("Usage: trainer " + subcommand);
        }
    }

    @Test
    void republishStillRequiresTheReleaseNumber() {
        StringWriter output = new StringWriter();
        CommandLine commandLine = new CommandLine(new TrainerCli());
        commandLine.setErr(new PrintWriter(output, true));
        assertThat(commandLine.execute("republish")).isEqualTo(2);
        assertThat(output.toString()).contains("Missing required option: '--version=N'");
    }
}
