package io.streamrec.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ModelRelease;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsSnapshotTest {

    private static ModelRelease release(String name, long version) {
        return ModelRelease.newBuilder().setName(name).setVersion(version).setVariant("gmf")
                .setCreatedAt(Instant.EPOCH).setOnnxModel(null).setArtifactUri("file:///m.onnx").setSha256("00")
                .setHistoryLength(1).setItemVocabulary(List.of("a")).build();
    }

    @Test
    void theNextVersionFollowsTheHighestSeenEvenAfterARollback() {
        ModelsSnapshot snapshot = new ModelsSnapshot("models", Map.of("default", release("default", 3)),
                Map.of("default", 5L), Map.of(), 3, 0, 0);
        assertThat(snapshot.latest("default")).map(ModelRelease::getVersion).contains(3L);
        assertThat(snapshot.nextVersion("default")).isEqualTo(6);
        assertThat(snapshot.nextVersion("other")).isEqualTo(1);
        assertThat(snapshot.latest("other")).isEmpty();
    }
}
