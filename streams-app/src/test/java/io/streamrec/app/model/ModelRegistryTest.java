package io.streamrec.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.app.model.TestModels.DotModel;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static OnnxRuntime runtime;
    private static ModelLoader loader;

    private final List<ModelEvent> heard = new CopyOnWriteArrayList<>();
    private ModelRegistry registry;

    @BeforeAll
    static void startRuntime() {
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
        loader = new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY.getPublic())),
                new ArtifactFetcher(10_000_000, Duration.ofSeconds(5)), 1);
    }

    @AfterAll
    static void closeRuntime() {
        runtime.close();
    }

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private ModelRegistry registry(OptionalLong pinned) {
        registry = new ModelRegistry(new ModelRegistry.Settings("default", pinned, 50), loader, Clock.systemUTC(),
                heard::add);
        return registry;
    }

    private static ModelRelease release(long version) {
        return TestModels.signedRelease("default", version, DotModel.random(4, 20, 4, 3, version));
    }

    @Test
    void nothingServesUntilAReleaseLoads() throws Exception {
        registry(OptionalLong.empty());
        assertThat(registry.acquire()).isEmpty();
        registry.offer(release(1));
        registry.awaitIdle(WAIT);
        try (ModelLease lease = registry.acquire().orElseThrow()) {
            assertThat(lease.model().info().version()).isEqualTo(1);
        }
        assertThat(heard).extracting(ModelEvent::kind).containsExactly(ModelEvent.Kind.LOADED);
    }

    @Test
    void aNewerReleaseSwapsInAndTheOldSessionOutlivesItsLastLease() throws Exception {
        registry(OptionalLong.empty());
        registry.offer(release(1));
        registry.awaitIdle(WAIT);
        ModelLease onOld = registry.acquire().orElseThrow();

        registry.offer(release(2));
        registry.awaitIdle(WAIT);

        try (ModelLease onNew = registry.acquire().orElseThrow()) {
            assertThat(onNew.model().info().version()).isEqualTo(2);
        }
        // The replaced model still answers for the scoring call that leased it before the swap.
        LoadedModel old = onOld.model();
        assertThat(old.info().version()).isEqualTo(1);
        assertThat(old.scoreCatalogue(1, new long[] {0, 3, 4})).hasSize(20).doesNotContain(Float.NaN);
        onOld.close();
        onOld.close(); // idempotent
        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(2);
    }

    @Test
    void olderReleasesAndOtherModelNamesAreIgnored() throws Exception {
        registry(OptionalLong.empty());
        registry.offer(release(5));
        registry.awaitIdle(WAIT);
        registry.offer(release(3));
        registry.offer(TestModels.signedRelease("other-model", 9, DotModel.random(4, 20, 4, 3, 9)));
        registry.offer(release(5)); // a replay of what serves: silent
        registry.awaitIdle(WAIT);

        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(5);
        assertThat(registry.events()).extracting(ModelEvent::kind, ModelEvent::version, ModelEvent::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.LOADED, 5L, "swapped"),
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.IGNORED, 3L, "not-newer"));
    }

    @Test
    void aRejectedReleaseLeavesTheServingModelInPlace() throws Exception {
        registry(OptionalLong.empty());
        registry.offer(release(1));
        registry.awaitIdle(WAIT);
        ModelRelease tampered = ModelRelease.newBuilder(release(2)).setVersion(3).build(); // signature no longer matches
        registry.offer(tampered);
        registry.awaitIdle(WAIT);

        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(1);
        assertThat(registry.events()).last().satisfies(event -> {
            assertThat(event.kind()).isEqualTo(ModelEvent.Kind.REJECTED);
            assertThat(event.version()).isEqualTo(3);
            assertThat(event.reason()).isEqualTo("signature");
        });
    }

    @Test
    void aPinnedVersionIsTheOnlyOneThatLoads() throws Exception {
        registry(OptionalLong.of(2));
        registry.offer(release(1));
        registry.offer(release(2));
        registry.awaitIdle(WAIT);
        registry.offer(release(3));
        registry.awaitIdle(WAIT);

        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(2);
        assertThat(registry.events()).filteredOn(e -> e.kind() == ModelEvent.Kind.IGNORED)
                .extracting(ModelEvent::version).containsExactly(1L, 3L);
    }

    @Test
    void aTombstoneRestartsNumberingAndTheServingModelStaysUntilTheNextRelease() throws Exception {
        registry(OptionalLong.empty());
        registry.offer(release(37));
        registry.awaitIdle(WAIT);
        registry.offer(release(5));

        registry.restartNumbering();
        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(37);
        registry.offer(release(1));
        registry.awaitIdle(WAIT);
        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(1);
        registry.offer(release(1)); // a replay of what serves: silent
        registry.offer(release(2));
        registry.awaitIdle(WAIT);

        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(2);
        assertThat(registry.events()).extracting(ModelEvent::kind, ModelEvent::version, ModelEvent::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.LOADED, 37L, "swapped"),
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.IGNORED, 5L, "not-newer"),
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.NUMBERING_RESTARTED, 37L, "tombstone"),
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.LOADED, 1L, "swapped"),
                        org.assertj.core.groups.Tuple.tuple(ModelEvent.Kind.LOADED, 2L, "swapped"));
    }

    @Test
    void releasesStillWaitingOrLoadingAtATombstoneDoNotHoldBackTheNextOne() throws Exception {
        registry(OptionalLong.empty());
        registry.offer(release(10));
        registry.offer(release(11)); // waiting or loading, whichever the loader thread has reached
        registry.restartNumbering();
        registry.offer(release(1));
        registry.awaitIdle(WAIT);

        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(1);
        assertThat(registry.events()).filteredOn(event -> event.kind() == ModelEvent.Kind.IGNORED).isEmpty();
    }

    @Test
    void aPinnedVersionKeepsWorkingAcrossATombstone() throws Exception {
        registry(OptionalLong.of(2));
        registry.offer(release(2));
        registry.awaitIdle(WAIT);
        registry.restartNumbering();
        registry.offer(release(3));
        ModelRelease renumbered = TestModels.signedRelease("default", 2, DotModel.random(4, 30, 4, 3, 99));
        registry.offer(renumbered);
        registry.awaitIdle(WAIT);

        ModelInfo serving = registry.serving().orElseThrow().info();
        assertThat(serving.version()).isEqualTo(2);
        assertThat(serving.itemCount()).isEqualTo(30); // the release numbered 2 after the tombstone
        assertThat(registry.events()).filteredOn(event -> event.kind() == ModelEvent.Kind.IGNORED)
                .extracting(ModelEvent::version).containsExactly(3L);
    }

    @Test
    void leasesTakenConcurrentlyWithSwapsAlwaysSeeAnOpenModel() throws Exception {
        registry(OptionalLong.empty());
        registry.offer(release(1));
        registry.awaitIdle(WAIT);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread scorer = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline) {
                try (ModelLease lease = registry.acquire().orElseThrow()) {
                    float[] scores = lease.model().scoreCatalogue(1, new long[] {1, 2, 3});
                    if (scores.length != 20) {
                        failures.add(new AssertionError("wrong length " + scores.length));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        });
        scorer.start();
        for (long version = 2; version <= 6; version++) {
            registry.offer(release(version));
            registry.awaitIdle(WAIT);
        }
        scorer.join();
        assertThat(failures).isEmpty();
        assertThat(registry.serving().orElseThrow().info().version()).isEqualTo(6);
    }

    @Test
    void closingAbandonsALoadStuckInItsFetchWithoutRejectingTheRelease() throws Exception {
        ModelLoader patient = new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(TestModels.TRAINER_KEY
                .getPublic())), new ArtifactFetcher(10_000_000, Duration.ofSeconds(120)), 1);
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            registry = new ModelRegistry(new ModelRegistry.Settings("default", OptionalLong.empty(), 50), patient,
                    Clock.systemUTC(), heard::add);
            DotModel model = DotModel.random(4, 20, 4, 3, 1);
            registry.offer(TestModels.sign(TestModels.release("default", 1, model, model.onnx()).setOnnxModel(null)
                    .setArtifactUri("http://127.0.0.1:" + silent.getLocalPort() + "/model.onnx").build()));
            try (Socket fetching = silent.accept()) {
                // The load has sent its request and now waits for an answer that never comes.
                assertThat(fetching.getInputStream().read(new byte[16])).isPositive();
                long start = System.nanoTime();
                registry.close();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("close interrupts the fetch")
                        .isLessThan(Duration.ofSeconds(10));
            }
        }
        assertThat(heard).as("a load cut short by close says nothing about the release").isEmpty();
    }
}
