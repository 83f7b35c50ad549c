package io.streamrec.demo;

import io.streamrec.demo.client.BackfillCommand;
import io.streamrec.demo.client.ConsumeCommand;
import io.streamrec.demo.client.ProduceCommand;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./streamrec <command>}: the project's top-level command line (the demo, the benchmarks, the chaos suite,
 * and a client of a running streamrec: produce, consume, backfill).
 */
@Command(name = "streamrec", mixinStandardHelpOptions = true, version = "streamrec 0.1.0",
        description = "streamrec: a real-time recommender on Apache Kafka.",
        subcommands = {DemoCommand.class, BenchCommand.class, RefitBenchCommand.class, RetrievalBenchCommand.class,
                ChaosCommand.class, GenerateCommand.class, ProduceCommand.class, ConsumeCommand.class,
                BackfillCommand.class})
public final class StreamrecCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The demo's logging configuration (console narration, everything else to a file in the run directory). */
    static final String LOG_CONFIG = "streamrec-demo-log4j2.xml";
    /** The client commands' logging: warnings on standard error, no file (a demo may be writing its own). */
    static final String CLIENT_LOG_CONFIG = "streamrec-client-log4j2.xml";
    private static final Set<String> CLIENT_COMMANDS = Set.of("produce", "consume", "backfill");

    public static void main(String[] args) {
        // Before the first logger exists: the broker and clients log a lot, which belongs in a file, not the console.
        if (System.getProperty("log4j2.configurationFile") == null) {
            if (args.length > 0 && CLIENT_COMMANDS.contains(args[0])) {
                System.setProperty("log4j2.configurationFile", CLIENT_LOG_CONFIG);
            } else {
                System.setProperty("log4j2.configurationFile", LOG_CONFIG);
                System.setProperty("streamrec.demo.log", logFile(args).toString());
            }
        }
        System.exit(new CommandLine(new StreamrecCli()).execute(args));
    }

    /** The run directory's log file: {@code --dir} if given, else the demo's default directory. */
    static java.nio.file.Path logFile(String[] args) {
        String directory = "run/demo";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir") && i + 1 < args.length) {
                directory = args[i + 1];
            } else if (args[i].startsWith("--dir=")) {
                directory = args[i].substring("--dir=".length());
            }
        }
        return java.nio.file.Path.of(directory, "streamrec-demo.log");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
