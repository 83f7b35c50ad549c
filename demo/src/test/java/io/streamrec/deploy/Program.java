package io.streamrec.deploy;

import io.streamrec.demo.StreamrecCli;
import io.streamrec.schemas.topics.ProvisionTopicsCommand;
import io.streamrec.trainer.cli.TrainerCli;
import java.util.List;
import picocli.CommandLine;

/**
 * What a container runs, derived from its image and the arguments the image's entrypoint
 * ({@code infra/docker/entrypoint.sh}) receives: the image's command ({@code java -jar}), or with
 * {@code --main CLASS} another class of its class path. The arguments are parsed by the real command-line
 * parsers, so a renamed option or subcommand fails here.
 */
enum Program {
    STREAMS_APP, TRAINER_SERVE, TRAINER_ONCE, TRAINER_KEYGEN, PROVISION_TOPICS,
    /** {@code streamrec generate}: synthetic clicks, configured by flags only. */
    GENERATE;

    /** The option of the entrypoint script that runs another main class. */
    static final String MAIN_OPTION = "--main";

    /** A program and the arguments its own parser receives. */
    record Invocation(Image image, Program program, List<String> arguments) {
    }

    /** True for the long-running programs with an HTTP port, probes and metrics. */
    boolean serves() {
        return this == STREAMS_APP || this == TRAINER_SERVE;
    }

    /** True for the programs that read the STREAMREC_* configuration (ConfigSources). */
    boolean readsConfiguration() {
        return this == STREAMS_APP || this == TRAINER_SERVE || this == TRAINER_ONCE;
    }

    /**
     * The program the entrypoint runs for these arguments; fails (with the parser's message) when the
     * command line would be refused.
     */
    static Invocation of(Image image, List<String> entrypointArguments) {
        if (!entrypointArguments.isEmpty() && entrypointArguments.get(0).equals(MAIN_OPTION)) {
            if (entrypointArguments.size() < 2) {
                throw new IllegalArgumentException(MAIN_OPTION + " without a class name");
            }
            String mainClass = entrypointArguments.get(1);
            if (!mainClass.equals(ProvisionTopicsCommand.class.getName())) {
                throw new IllegalArgumentException("unexpected main class " + mainClass + "; the deployments run "
                        + ProvisionTopicsCommand.class.getName() + " this way");
            }
            return new Invocation(image, PROVISION_TOPICS, entrypointArguments.subList(2, entrypointArguments.size()));
        }
        switch (image) {
            case STREAMS_APP -> {
                parse(image, entrypointArguments);
                return new Invocation(image, STREAMS_APP, entrypointArguments);
            }
            case TRAINER -> {
                CommandLine.ParseResult result = parse(image, entrypointArguments);
                if (!result.hasSubcommand()) {
                    throw new IllegalArgumentException("trainer without a subcommand: " + entrypointArguments);
                }
                String subcommand = result.subcommand().commandSpec().name();
                Program program = switch (subcommand) {
                    case "serve" -> TRAINER_SERVE;
                    case "once" -> TRAINER_ONCE;
                    case "keygen" -> TRAINER_KEYGEN;
                    default -> throw new IllegalArgumentException("trainer " + subcommand
                            + " is not meant to run in a deployment");
                };
                return new Invocation(image, program, entrypointArguments);
            }
            case DEMO -> {
                CommandLine.ParseResult result = parse(image, entrypointArguments);
                String subcommand = result.hasSubcommand() ? result.subcommand().commandSpec().name() : "";
                if (!subcommand.equals("generate")) {
                    throw new IllegalArgumentException("streamrec " + entrypointArguments
                            + " is not meant to run in a deployment (generate is)");
                }
                return new Invocation(image, GENERATE, entrypointArguments);
            }
            default -> throw new IllegalStateException(image.name());
        }
    }

    private static CommandLine.ParseResult parse(Image image, List<String> arguments) {
        Object command = switch (image) {
            case TRAINER -> new TrainerCli();
            case DEMO -> new StreamrecCli();
            default -> new io.streamrec.app.StreamsAppCommand();
        };
        try {
            return new CommandLine(command).parseArgs(arguments.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(image.imageName() + " refuses " + arguments + ": " + e.getMessage(), e);
        }
    }
}
