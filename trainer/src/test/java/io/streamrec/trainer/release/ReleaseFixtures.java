package io.streamrec.trainer.release;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.export.ExportFixtures;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Releases of small random models, signed with a fresh key, for release tests. */
final class ReleaseFixtures {

    static final int USERS = 25;
    static final int ITEMS = 60;
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123456Z");

    final java.security.KeyPair keys = ReleaseKeys.generate();
    final ReleaseSigner signer = new ReleaseSigner(keys);
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    ReleaseBuilder builder(ReleaseSettings settings) {
        return new ReleaseBuilder(signer, settings, clock);
    }

    static NcfModel model(ModelConfig config) {
        return ExportFixtures.randomModel(config, USERS, ITEMS, 21, 0.5);
    }

    static ReleaseRequest request(String name, long version, NcfModel model) {
        return new ReleaseRequest(name, version, model, Vocabulary.sequential("user-", USERS),
                Vocabulary.sequential("item-", ITEMS), Map.of("hr@10", 0.625, "ndcg@10", 0.375),
                Map.of("train.max_epochs", "3"),
                new Provenance("interactions@0:1200", 1200, Duration.ofMillis(4321), "9.9.9-test",
                        Map.of("data.users", Integer.toString(USERS))));
    }

    ModelRelease release(ModelConfig config, ReleaseSettings settings) {
        return builder(settings).build(request("default", 7, model(config)));
    }

    static ReleaseSettings artifactsOnly(Path directory) {
        return ReleaseSettings.withArtifacts(directory).withInlineLimit(0);
    }
}
