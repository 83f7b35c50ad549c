package io.streamrec.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./streamrec <command>}: the project's top-level command line (the demo, the end-to-end benchmark). */
@Command(name = "streamrec", mixinStandardHelpOptions = true, version = "streamrec 0.1.0",
        description = "streamrec: a real-time recommender on Apache Kafka.",
        subcommands = {DemoCommand.class, BenchCommand.class, RefitBenchCommand.class, RetrievalBenchCommand.class,
                ChaosCommand.class, GenerateCommand.class})
public final class StreamrecCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The demo's logging configuration (console narration, everything else to a file in the run directory). */
    static final String LOG_CONFIG = "streamrec-demo-log4j2.xml";

    public static void main(String[] args) {
        // Before the first logger exists: the broker and clients log a lot, which belongs in a file, not the console.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
            System.setProperty("streamrec.demo.log", logFile(args).toString());
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
