package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.export.ExportFixtures;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import io.streamrec.trainer.kafka.ModelReleaseReader;
import io.streamrec.trainer.kafka.ModelsSnapshot;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.release.Provenance;
import io.streamrec.trainer.release.ReleaseBuilder;
import io.streamrec.trainer.release.ReleaseRepublisher;
import io.streamrec.trainer.release.ReleaseRequest;
import io.streamrec.trainer.release.ReleaseSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trainer republish} against the real local stack: rollback by publishing an earlier release again. */
@ExtendWith(LocalStackExtension.class)
class RepublishIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void anEarlierReleaseComesBackAsTheNextVersionAndAMissingOneFailsClearly(LocalStack stack, @TempDir Path dir)
            throws Exception {
        String topic = "models-republish-" + UUID.randomUUID();
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(TopicCatalog.MODELS.withName(topic).withReplicationFactor((short) 1)
                    .toNewTopic())).all().get();
        }
        KeyPair keys = ReleaseKeys.generate();
        Path keyFile = dir.resolve("release-signing.key");
        Files.writeString(keyFile, ReleaseKeys.privateKeyPem(keys), StandardCharsets.UTF_8);
        ReleaseBuilder builder = new ReleaseBuilder(new ReleaseSigner(keys), ReleaseSettings.inlineOnly(),
                Clock.systemUTC());
        ModelRelease first = release(builder, 1, 5);
        ModelRelease second = release(builder, 2, 6);
        Map<String, Object> client = stack.clientProperties();
        try (ModelReleasePublisher publisher = new ModelReleasePublisher(client, topic)) {
            publisher.publish(first);
            publisher.publish(second);
        }

        assertThat(republish(client, topic, keyFile, "1")).isZero();

        ModelReleaseReader reader = new ModelReleaseReader(client, topic, TIMEOUT,
                ReleaseVerifier.trusting(List.of(keys.getPublic())));
        ModelsSnapshot snapshot = reader.read();
        ModelRelease serving = snapshot.latest("default").orElseThrow();
        assertThat(serving.getVersion()).isEqualTo(3);
        assertThat(serving.getSha256()).isEqualTo(first.getSha256()).isNotEqualTo(second.getSha256());
        assertThat(serving.getProvenance()).containsEntry(ReleaseRepublisher.REPUBLISHED_FROM, "1");
        assertThat(ReleaseVerifier.trusting(List.of(keys.getPublic())).verifySignature(serving)).isTrue();
        assertThat(reader.find("default", 2).release()).map(ModelRelease::getSha256).contains(second.getSha256());
        assertThat(reader.find("default", 2).nextVersion()).isEqualTo(4);

        assertThat(republish(client, topic, keyFile, "9")).isEqualTo(1);
        assertThat(reader.read().latest("default").orElseThrow().getVersion()).isEqualTo(3);
    }

    private static ModelRelease release(ReleaseBuilder builder, long version, long seed) {
        return builder.build(new ReleaseRequest("default", version, ExportFixtures.randomModel(
                ModelConfig.gmf(4), 10, 20, seed, 0.1), Vocabulary.sequential("u", 10), Vocabulary.sequential("i", 20),
                Map.of("hr@10", 0.5), Map.of(), Provenance.of("random", 0, Duration.ZERO)));
    }

    private static int republish(Map<String, Object> client, String topic, Path keyFile, String version) {
        List<String> args = new ArrayList<>();
        client.forEach((key, value) -> {
            args.add("--set");
            args.add(key + "=" + value);
        });
        args.addAll(List.of("--set", "models.topic=" + topic, "--set", "release.signing.key.file=" + keyFile,
                "--version", version));
        return new CommandLine(new ServiceCommands.Republish()).execute(args.toArray(new String[0]));
    }
}
