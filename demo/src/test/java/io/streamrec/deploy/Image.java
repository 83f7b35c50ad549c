package io.streamrec.deploy;

import io.streamrec.app.StreamsAppCommand;
import io.streamrec.demo.StreamrecCli;
import io.streamrec.trainer.cli.TrainerCli;
import java.util.Arrays;
import java.util.Optional;

/**
 * The project's three images and what defines them: the Dockerfile in {@code infra/docker}, the Maven module it
 * builds and that module's command class (the jar manifest's main class, so what {@code java -jar} runs).
 */
enum Image {
    STREAMS_APP("streams-app", StreamsAppCommand.class),
    TRAINER("trainer", TrainerCli.class),
    /** The {@code streamrec} command line; deployments run its {@code generate} subcommand. */
    DEMO("demo", StreamrecCli.class);

    private final String name;
    private final Class<?> command;

    Image(String name, Class<?> command) {
        this.name = name;
        this.command = command;
    }

    /** The repository name's last segment, the Maven module and the Dockerfile's base name. */
    String imageName() {
        return name;
    }

    String module() {
        return name;
    }

    Class<?> command() {
        return command;
    }

    Dockerfile dockerfile() {
        return Dockerfile.parse(Project.file("infra/docker/" + name + ".Dockerfile"));
    }

    String dockerfilePath() {
        return "infra/docker/" + name + ".Dockerfile";
    }

    /**
     * The image a reference names ({@code registry/streamrec/streams-app:0.1.0@sha256:...} names STREAMS_APP),
     * or empty for images that are not the project's (Kafka, the registry).
     */
    static Optional<Image> of(String reference) {
        String withoutDigest = reference.split("@", 2)[0];
        String repository = withoutDigest.lastIndexOf(':') > withoutDigest.lastIndexOf('/')
                ? withoutDigest.substring(0, withoutDigest.lastIndexOf(':')) : withoutDigest;
        String last = repository.substring(repository.lastIndexOf('/') + 1);
        if (!repository.contains("streamrec/")) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(image -> image.name.equals(last)).findFirst();
    }
}
