package io.streamrec.app.bench;

import io.streamrec.app.model.ArtifactFetcher;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLoader;
import io.streamrec.app.model.OnnxRuntime;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
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

/**
 * Full-catalogue scoring of a batch of users in one call through the serving path
 * ({@link LoadedModel#scoreCatalogue(long[], long[][])}), per batch size: what one call costs, so the runner
 * ({@link BatchScoringBench}) can divide by the batch for the per-click cost. Each user has a full history of
 * random items (the costliest case); a second method starts every call with cold caches, as in the streams
 * app, where a batch's Kafka and RocksDB work runs between two scoring calls.
 *
 * <p>JMH state: one model per trial, used by one benchmark thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchScoringBenchmark {

    @Param({"neumf", "history-recent"})
    public String variant;

    @Param({"1", "8", "32", "128"})
    public int batch;

    private OnnxRuntime runtime;
    private LoadedModel model;
    private long[] users;
    private long[][] histories;

    @Setup(Level.Trial)
    public void load() throws Exception {
        KeyPair keys = ReleaseKeys.generate();
        runtime = new OnnxRuntime(new OnnxRuntime.Settings(1, false, batch));
        ModelLoader loader = new ModelLoader(runtime, ReleaseVerifier.trusting(List.of(keys.getPublic())),
                new ArtifactFetcher(256L * 1024 * 1024, Duration.ofSeconds(10)), 3);
        model = loader.load(BenchModels.release(BenchModels.randomModel(BenchModels.configs().get(variant), 1),
                new ReleaseSigner(keys)));
        SplittableRandom random = new SplittableRandom(2);
        users = new long[batch];
        histories = new long[batch][model.historyLength()];
        for (int b = 0; b < batch; b++) {
            users[b] = 1 + random.nextInt(BenchModels.USERS);
            for (int j = 0; j < model.historyLength(); j++) {
                histories[b][j] = 1 + random.nextInt(BenchModels.ITEMS);
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
        runtime.close();
    }

    /** The batch's users against the whole catalogue. */
    @Benchmark
    public float[][] catalogueBatch() throws Exception {
        return model.scoreCatalogue(users, histories);
    }

    /** The same, every call starting with cold caches. */
    @Benchmark
    public float[][] catalogueBatchColdCache(ScoringBenchmark.CacheEvictor evictor) throws Exception {
        return model.scoreCatalogue(users, histories);
    }
}
