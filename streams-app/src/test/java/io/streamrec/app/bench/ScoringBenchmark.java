package io.streamrec.app.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.export.CandidateScoring;
import io.streamrec.trainer.model.NcfModel;
import io.streamrec.trainer.release.ReleaseSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Full-catalogue scoring for one user through the streams app's serving path: a release built and signed by
 * the trainer, loaded by {@link ModelLoader} (verify, build the session with one intra-op thread and no
 * spinning, warm up, probe), scored with {@link LoadedModel#scoreCatalogue} in ONE ONNX Runtime call over all
 * 3,706 items; against the same 3,706 candidates scored with one call per item. A third method runs the same
 * graph in a session of the same settings on input and output tensors built once over direct buffers: the
 * floor the serving wrapper (which reuses its tensors too) can reach. A fourth repeats the one-call method
 * with the CPU caches flushed before every call ({@link CacheEvictor}), as they are in the streams app, where
 * each click's Kafka and RocksDB work runs between two scoring calls. Sample-time mode, so the runner reports
 * percentiles. Run it with {@code streams-app/bench/scoring.sh} ({@link ScoringBench}).
 *
 * <p>JMH state: one model per trial, used by one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScoringBenchmark {

    @Param({"gmf", "mlp", "neumf", "aneumf", "history-aneumf", "history-gmf64", "history-recent"})
    public String variant;

    private OnnxRuntime runtime;
    private LoadedModel model;
    /** The same parameters exported for a few candidates per call (the fair baseline for one call per item). */
    private LoadedModel perItemModel;
    private int user;
    private long[] history;
    private long[][] singleItems;
    private OrtSession session;
    private OnnxTensor userTensor;
    private OnnxTensor historyTensor;
    private OnnxTensor catalogueTensor;
    private OnnxTensor scoresTensor;
    private FloatBuffer scores;
    private Map<String, OnnxTensor> inputs;
    private Map<String, OnnxTensor> outputs;

    @Setup(Level.Trial)
    public void load() throws Exception {
        KeyPair keys = ReleaseKeys.generate();
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false));
        ModelLoader loader = new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(keys.getPublic())),
                new ArtifactFetcher(256L * 1024 * 1024, Duration.ofSeconds(10)), 3);
        NcfModel parameters = BenchModels.randomModel(BenchModels.configs().get(variant), 1);
        ModelRelease release = BenchModels.release(parameters, new ReleaseSigner(keys));
        model = loader.load(release);
        perItemModel = loader.load(BenchModels.release(parameters, new ReleaseSigner(keys),
                ReleaseSettings.inlineOnly().withScoring(CandidateScoring.GATHER)));
        SplittableRandom random = new SplittableRandom(2);
        user = 1 + random.nextInt(BenchModels.USERS);
        history = new long[model.historyLength()];
        for (int j = 0; j < history.length; j++) {
            history[j] = 1 + random.nextInt(BenchModels.ITEMS); // a full history: the costliest case
        }
        singleItems = new long[model.itemCount()][];
        long[] catalogue = new long[model.itemCount()];
        for (int i = 0; i < singleItems.length; i++) {
            singleItems[i] = new long[] {i + 1};
            catalogue[i] = i + 1;
        }
        byte[] graph = new byte[release.getOnnxModel().remaining()];
        release.getOnnxModel().duplicate().get(graph);
        session = runtime.createSession(graph);
        OrtEnvironment environment = runtime.environment();
        userTensor = OnnxTensor.createTensor(environment, direct(new long[] {user}), new long[] {1});
        historyTensor = OnnxTensor.createTensor(environment, direct(history), new long[] {1, history.length});
        catalogueTensor = OnnxTensor.createTensor(environment, direct(catalogue), new long[] {1, catalogue.length});
        inputs = Map.of(ServingSignature.USER, userTensor, ServingSignature.HISTORY, historyTensor,
                ServingSignature.CANDIDATES, catalogueTensor);
        scores = ByteBuffer.allocateDirect(catalogue.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        scoresTensor = OnnxTensor.createTensor(environment, scores, new long[] {1, catalogue.length});
        outputs = Map.of(ServingSignature.SCORES, scoresTensor);
    }

    /** A direct buffer: ONNX Runtime wraps it without copying. */
    private static LongBuffer direct(long[] values) {
        LongBuffer buffer = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.nativeOrder())
                .asLongBuffer();
        buffer.put(values).flip();
        return buffer;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        scoresTensor.close();
        catalogueTensor.close();
        historyTensor.close();
        userTensor.close();
        session.close();
        perItemModel.close();
        model.close();
        runtime.close();
    }

    /** The whole catalogue in one call. */
    @Benchmark
    public float[] fullCatalogue() throws Exception {
        return model.scoreCatalogue(user, history);
    }

    /**
     * Writes to every cache line of a buffer larger than this machine's caches before each invocation (not
     * timed), so the graph's tables and ONNX Runtime's buffers come from memory, not cache. JMH state, one per
     * benchmark thread.
     */
    @State(Scope.Thread)
    public static class CacheEvictor {

        private static final int BYTES = 64 << 20;
        private static final int LINE = 64;

        private final byte[] buffer = new byte[BYTES];

        @Setup(Level.Invocation)
        public void evict() {
            for (int i = 0; i < BYTES; i += LINE) {
                buffer[i]++;
            }
        }
    }

    /** The whole catalogue in one call, starting with cold caches. */
    @Benchmark
    public float[] fullCatalogueColdCache(CacheEvictor evictor) throws Exception {
        return model.scoreCatalogue(user, history);
    }

    /** The whole catalogue in one call of the same graph, on input and output tensors built once. */
    @Benchmark
    public float[] graphOnly() throws Exception {
        session.run(inputs, outputs).close(); // the result does not own the pinned output
        float[] out = new float[scores.capacity()];
        scores.get(0, out);
        return out;
    }

    /** The same candidates, one call per item, through the graph exported for a few candidates per call. */
    @Benchmark
    public void perItem(Blackhole sink) throws Exception {
        long[] users = {user};
        long[][] histories = {history};
        for (long[] item : singleItems) {
            sink.consume(perItemModel.score(users, histories, item, 1));
        }
    }
}
