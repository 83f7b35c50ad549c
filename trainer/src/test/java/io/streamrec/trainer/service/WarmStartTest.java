package io.streamrec.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.model.ParameterTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmStartTest {

    private static final ModelConfig CONFIG = ModelConfig.historyAneumf(4, 5, 8, 4);
    private static final Vocabulary USERS_BEFORE = Vocabulary.of(List.of("ann", "bob", "cid"));
    private static final Vocabulary ITEMS_BEFORE = Vocabulary.of(List.of("i1", "i2", "i3", "i4"));
    // bob left, dee arrived; i2 left, i5 arrived; the order changed too.
    private static final Vocabulary USERS_NOW = Vocabulary.of(List.of("dee", "cid", "ann"));
    private static final Vocabulary ITEMS_NOW = Vocabulary.of(List.of("i4", "i5", "i1", "i3"));

    private final NcfModel previous = NcfModel.create(CONFIG.withSeed(7), USERS_BEFORE.size(), ITEMS_BEFORE.size());

    private static Map<String, ParameterTensor> tensors(NcfModel model) {
        return model.parameterTensors().stream().collect(Collectors.toMap(ParameterTensor::name, Function.identity()));
    }

    private static float[] row(ParameterTensor table, int row) {
        int width = table.shape()[1];
        return Arrays.copyOfRange(table.values(), row * width, (row + 1) * width);
    }

    @Test
    void sharedUsersAndItemsKeepTheirRowsNewcomersStartFreshDenseParametersCarryOver() {
        WarmStart warmStart = new WarmStart();
        warmStart.remember(previous, USERS_BEFORE, ITEMS_BEFORE, "sha-v1");

        NcfModel warm = warmStart.modelFor(CONFIG.withSeed(7), Optional.of("sha-v1"), USERS_NOW, ITEMS_NOW)
                .orElseThrow();

        assertThat(warm.numUsers()).isEqualTo(3);
        assertThat(warm.numItems()).isEqualTo(4);
        Map<String, ParameterTensor> before = tensors(previous);
        Map<String, ParameterTensor> after = tensors(warm);
        Map<String, ParameterTensor> fresh = tensors(NcfModel.create(CONFIG.withSeed(7), 3, 4));
        for (String table : List.of("item_embedding", "history_embedding")) {
            assertThat(row(after.get(table), 0)).isEqualTo(row(before.get(table), 0));
            assertThat(row(after.get(table), 1)).isEqualTo(row(before.get(table), 4));   // i4
            assertThat(row(after.get(table), 2)).isEqualTo(row(fresh.get(table), 2));    // i5 is new
            assertThat(row(after.get(table), 3)).isEqualTo(row(before.get(table), 1));   // i1
            assertThat(row(after.get(table), 4)).isEqualTo(row(before.get(table), 3));   // i3
        }
        assertThat(row(after.get("user_embedding"), 1)).isEqualTo(row(fresh.get("user_embedding"), 1)); // dee
        assertThat(row(after.get("user_embedding"), 2)).isEqualTo(row(before.get("user_embedding"), 3)); // cid
        assertThat(row(after.get("user_embedding"), 3)).isEqualTo(row(before.get("user_embedding"), 1)); // ann
        before.values().stream().filter(t -> !t.name().endsWith("_embedding") || t.name().equals("position_embedding"))
                .forEach(t -> assertThat(after.get(t.name())).as(t.name()).isEqualTo(t));
    }

    @Test
    void onlyTheRememberedReleaseWithTheSameSettingsWarmStarts() {
        WarmStart warmStart = new WarmStart();
        assertThat(warmStart.modelFor(CONFIG, Optional.of("sha-v1"), USERS_NOW, ITEMS_NOW)).isEmpty();

        warmStart.remember(previous, USERS_BEFORE, ITEMS_BEFORE, "sha-v1");
        assertThat(warmStart.modelFor(CONFIG.withSeed(7), Optional.empty(), USERS_NOW, ITEMS_NOW)).isEmpty();
        assertThat(warmStart.modelFor(CONFIG.withSeed(7), Optional.of("sha-v2"), USERS_NOW, ITEMS_NOW)).isEmpty();
        assertThat(warmStart.modelFor(ModelConfig.historyAneumf(4, 5, 16, 4).withSeed(7), Optional.of("sha-v1"),
                USERS_NOW, ITEMS_NOW)).isEmpty();
        assertThat(warmStart.modelFor(CONFIG.withSeed(7), Optional.of("sha-v1"), USERS_NOW, ITEMS_NOW)).isPresent();
    }

    @Test
    void theRememberedModelIsACopy() {
        WarmStart warmStart = new WarmStart();
        NcfModel trained = previous.copy();
        warmStart.remember(trained, USERS_BEFORE, ITEMS_BEFORE, "sha-v1");
        // Training goes on changing the caller's model after it was remembered.
        Arrays.fill(trained.parameters().items()[1], 42f);
        Arrays.fill(trained.parameters().dense(), 42f);

        NcfModel warm = warmStart.modelFor(CONFIG.withSeed(7), Optional.of("sha-v1"), USERS_BEFORE, ITEMS_BEFORE)
                .orElseThrow();
        assertThat(warm.parameterTensors()).isEqualTo(previous.parameterTensors());
    }

    @Test
    void aMapBeyondThePreviousModelIsRefused() {
        assertThatThrownBy(() -> NcfModel.warmStarted(previous, 1, new int[] {0, 9}, 1, new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
    }

    @Test
    void aCheckpointFileCarriesTheModelAcrossARestart(@TempDir Path dir) throws Exception {
        new WarmStart(Optional.of(dir)).remember(previous, USERS_BEFORE, ITEMS_BEFORE, "sha-v1");
        assertThat(dir.resolve(WarmStart.fileName(CONFIG.variant()))).exists();
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1); // no temporary file left behind
        }

        WarmStart restarted = new WarmStart(Optional.of(dir));
        NcfModel fromFile = restarted.modelFor(CONFIG.withSeed(7), Optional.of("sha-v1"), USERS_BEFORE, ITEMS_BEFORE)
                .orElseThrow();
        assertThat(fromFile.parameterTensors()).isEqualTo(previous.parameterTensors());
        assertThat(restarted.modelFor(CONFIG.withSeed(7), Optional.of("sha-v2"), USERS_BEFORE, ITEMS_BEFORE))
                .isEmpty();
    }

    @Test
    void anUnreadableCheckpointMeansTrainingFromScratch(@TempDir Path dir) throws Exception {
        new WarmStart(Optional.of(dir)).remember(previous, USERS_BEFORE, ITEMS_BEFORE, "sha-v1");
        Path file = dir.resolve(WarmStart.fileName(CONFIG.variant()));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 3)); // truncated

        assertThat(new WarmStart(Optional.of(dir)).modelFor(CONFIG.withSeed(7), Optional.of("sha-v1"), USERS_BEFORE,
                ITEMS_BEFORE)).isEmpty();
        assertThat(new WarmStart(Optional.of(dir.resolve("absent"))).modelFor(CONFIG.withSeed(7),
                Optional.of("sha-v1"), USERS_BEFORE, ITEMS_BEFORE)).isEmpty();
    }
}
