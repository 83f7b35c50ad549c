package io.streamrec.devstack;

import io.streamrec.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code devstack}: runs the streamrec local stack (a Kafka broker and a schema registry on 127.0.0.1, with the
 * catalog's topics) until Ctrl-C.
 *
 * <pre>
 * mvn -q -pl devstack -am package -DskipTests
 * java -jar devstack/target/devstack-0.1.0-SNAPSHOT.jar --data-dir /tmp/streamrec
 * </pre>
 *
 * <p>Exit codes: 0 after a clean stop or {@code --help}, 1 when the stack cannot start (the message names the busy
 * port or the unusable directory), 2 for invalid arguments.
 *
 * <p>Lifetime: one run per instance. Not thread-safe, except that the shutdown hook and the main thread may both
 * ask the stack to stop.
 */
@Command(name = "devstack", mixinStandardHelpOptions = true, version = "streamrec devstack 0.1.0",
        description = "Runs a single-node Kafka broker (KRaft) and a Confluent-compatible schema registry on"
                + " 127.0.0.1 with every streamrec topic created, until Ctrl-C.")
public final class DevStackCli implements Callable<Integer> {

    /** The logging configuration the command line uses, shipped in this jar under a name no library picks up. */
    static final String LOG_CONFIG = "devstack-log4j2.xml";

    /** Blocks until the stack should stop. */
    @FunctionalInterface
    interface StopSignal {
        void await() throws InterruptedException;
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory for the broker's data, kept and reused across runs (topics, records and"
                    + " schemas come back). Default: a new temporary directory, deleted on exit.")
    private Path dataDirectory;

    @Option(names = "--broker-port", paramLabel = "N", defaultValue = "9092",
            description = "Kafka client port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    private int brokerPort;

    @Option(names = "--controller-port", paramLabel = "N", defaultValue = "0",
            description = "KRaft controller port; 0 (the default) picks a free one.")
    private int controllerPort;

    @Option(names = "--registry-port", paramLabel = "N", defaultValue = "8081",
            description = "Schema registry HTTP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    private int registryPort;

    /** What one process runs: both components, or one of them, so a fault test can stop one alone. */
    enum Component { ALL, BROKER, REGISTRY }

    @Option(names = "--component", paramLabel = "WHAT", defaultValue = "all", converter = ComponentConverter.class,
            description = "all (the default: broker and registry), broker (the broker with every topic), or"
                    + " registry (a registry against --bootstrap-servers). Separate processes let a test stop"
                    + " one without the other.")
    private Component component;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "With --component registry: the broker the registry keeps its schemas on.")
    private String bootstrapServers;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Partitions of the multi-partition topics (clicks, recommendations, ...). Default: the"
                    + " topic catalog's.")
    private Integer partitions;

    private final StopSignal stopSignal;
    private final CountDownLatch interrupted = new CountDownLatch(1);

    /** Runs until the JVM is asked to stop (Ctrl-C, SIGTERM). */
    public DevStackCli() {
        this.stopSignal = null;
    }

    /** For tests: runs until the signal returns. */
    DevStackCli(StopSignal stopSignal) {
        this.stopSignal = stopSignal;
    }

    public static void main(String[] args) {
        // Before the first logger exists: the broker logs through log4j2 and would otherwise bury the addresses
        // in INFO lines (or, without any configuration, print nothing but errors).
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        DevStackCli cli = new DevStackCli();
        int exitCode = new CommandLine(cli).execute(args);
        if (cli.interrupted.getCount() > 0) {
            // Not stopped by a signal: exit now (the JVM is not already shutting down, so exit cannot block).
            System.exit(exitCode);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (partitions != null && partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--partitions must be >= 1, got " + partitions);
        }
        if ((component == Component.REGISTRY) != (bootstrapServers != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--bootstrap-servers goes with --component registry, and only with it");
        }
        boolean temporary = dataDirectory == null;
        Path directory = temporary ? Directories.createTemporary() : dataDirectory;
        LocalStack.Settings settings;
        try {
            settings = LocalStack.Settings.in(directory)
                    .withBrokerPort(brokerPort)
                    .withControllerPort(controllerPort)
                    .withRegistryPort(registryPort)
                    .withPartitions(partitions == null ? 0 : partitions);
        } catch (IllegalArgumentException e) {
            cleanUp(temporary, directory);
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        AutoCloseable stack;
        try {
            stack = startComponent(settings, out);
        } catch (DevStackException e) {
            cleanUp(temporary, directory);
            err.println("devstack: " + e.getMessage());
            err.flush();
            return 1;
        }
        Thread hook = new Thread(() -> {
            interrupted.countDown();
            stop(stack, temporary, directory, out);
        }, "devstack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            if (stopSignal == null) {
                interrupted.await();
            } else {
                stopSignal.await();
            }
        } finally {
            if (interrupted.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
                stop(stack, temporary, directory, out);
            }
        }
        return 0;
    }

    private AutoCloseable startComponent(LocalStack.Settings settings, PrintWriter out) {
        switch (component) {
            case BROKER -> {
                LocalKafkaBroker broker = LocalStack.startBrokerWithTopics(settings);
                out.printf("streamrec devstack broker is running%n  bootstrap.servers   = %s%n  data directory      ="
                        + " %s%n", broker.bootstrapServers(), settings.dataDirectory());
                return broker;
            }
            case REGISTRY -> {
                SchemaRegistryServer registry = LocalStack.startRegistry(bootstrapServers, settings);
                out.printf("streamrec devstack registry is running%n  schema.registry.url = %s%n", registry.url());
                return registry;
            }
            default -> {
                LocalStack stack = LocalStack.start(settings);
                printRunning(out, stack, dataDirectory == null);
                return stack;
            }
        }
    }

    private static void printRunning(PrintWriter out, LocalStack stack, boolean temporary) {
        out.printf("streamrec devstack is running (started in %.1f s)%n", stack.startupTime().toMillis() / 1000.0);
        out.printf("  bootstrap.servers   = %s%n", stack.bootstrapServers());
        out.printf("  schema.registry.url = %s%n", stack.schemaRegistryUrl());
        out.printf("  data directory      = %s%s%n", stack.dataDirectory(),
                temporary ? "  (temporary: deleted on exit; --data-dir keeps data)" : "");
        out.println("  topics:");
        for (TopicSpec topic : stack.catalog().topics()) {
            out.printf("    %-16s %2d partition%s  %s%n", topic.name(), topic.partitions(),
                    topic.partitions() == 1 ? " " : "s", topic.configs().entrySet().stream()
                            .sorted(java.util.Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(java.util.stream.Collectors.joining(" ")));
        }
    }

    private static void stop(AutoCloseable stack, boolean temporary, Path directory, PrintWriter out) {
        try {
            stack.close();
        } catch (Exception e) {
            out.println("devstack: stopping failed: " + e);
        }
        cleanUp(temporary, directory);
        out.println("devstack stopped");
        out.flush();
    }

    /** Accepts the component in any case, as users type it. */
    static final class ComponentConverter implements CommandLine.ITypeConverter<Component> {
        @Override
        public Component convert(String value) {
            return Component.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }
    }

    private static void cleanUp(boolean temporary, Path directory) {
        if (temporary) {
            Directories.deleteRecursively(directory);
        }
    }
}
