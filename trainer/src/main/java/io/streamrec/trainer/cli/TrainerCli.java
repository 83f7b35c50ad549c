package io.streamrec.trainer.cli;

import io.streamrec.trainer.bench.BenchCommand;
import io.streamrec.trainer.release.KeygenCommand;
import io.streamrec.trainer.service.ServiceCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The trainer's command line: {@code trainer <subcommand>}. Subcommands: {@code bench} (train
 * variants and print a results table), {@code keygen} (create a release-signing key pair), {@code once}
 * (one refit from the interactions topic), {@code serve} (the refit service) and {@code republish} (rollback:
 * an earlier release again, as the next version).
 */
@Command(name = "trainer", mixinStandardHelpOptions = true, version = "streamrec trainer 0.1.0",
        description = "streamrec trainer: datasets, the ANeuMF model family, training and evaluation.",
        subcommands = {BenchCommand.class, io.streamrec.trainer.bench.SplitCommand.class, KeygenCommand.class, ServiceCommands.Once.class,
                ServiceCommands.Serve.class, ServiceCommands.Republish.class})
public final class TrainerCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Entry point. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainerCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
