package io.streamrec.app.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The process's ONNX Runtime: the one {@link OrtEnvironment} of the JVM and the session options every model
 * session is built with (intra-op threads, spinning).
 *
 * <p>Lifetime: create once at start-up, close last, after Kafka Streams and every session are closed. The
 * environment itself lives as long as the JVM: ONNX Runtime's Java binding makes {@link OrtEnvironment#close()} a
 * no-op and frees the environment in a JVM shutdown hook of its own, which runs alongside every other hook. No
 * session may therefore be built or run once the JVM's shutdown has begun, which is why the commands stop on
 * SIGTERM before it ({@code io.streamrec.schemas.process.GracefulStop}). Thread-safe.
 */
public final class OnnxRuntime implements AutoCloseable {

    /**
     * How sessions run. Immutable.
     *
     * @param maxBatch the most users one session call scores (larger batches are split)
     */
    public record Settings(int intraOpThreads, boolean allowSpinning, int maxBatch) {

        /** The batch limit when none is given. */
        public static final int DEFAULT_MAX_BATCH = 8;

        public Settings {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intra-op threads must be >= 1, got " + intraOpThreads);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
            }
        }

        public Settings(int intraOpThreads, boolean allowSpinning) {
            this(intraOpThreads, allowSpinning, DEFAULT_MAX_BATCH);
        }
    }

    private final OrtEnvironment environment;
    private final Settings settings;

    public OnnxRuntime(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.environment = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "streamrec");
    }

    public OrtEnvironment environment() {
        return environment;
    }

    public Settings settings() {
        return settings;
    }

    /** Builds a session for the graph; the caller owns (and must close) it. */
    public OrtSession createSession(byte[] onnxModel) throws OrtException {
        return createSession(onnxModel, Optional.empty());
    }

    /**
     * A session like {@link #createSession(byte[])} that also records ONNX Runtime's per-node profile, written
     * as a JSON file whose name starts with {@code profilePrefix} when {@link OrtSession#endProfiling()} is
     * called (by the scoring profile benchmark; profiling slows every call).
     */
    public OrtSession createProfilingSession(byte[] onnxModel, Path profilePrefix) throws OrtException {
        return createSession(onnxModel, Optional.of(profilePrefix));
    }

    private OrtSession createSession(byte[] onnxModel, Optional<Path> profilePrefix) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(1);
            // Spinning threads burn a core while idle; on a shared 2-core box that steals from Kafka Streams.
            options.addConfigEntry("session.intra_op.allow_spinning", settings.allowSpinning() ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", settings.allowSpinning() ? "1" : "0");
            if (profilePrefix.isPresent()) {
                options.enableProfiling(profilePrefix.get().toString());
            }
            return environment.createSession(onnxModel, options);
        }
    }

    @Override
    public void close() {
        environment.close();
    }
}
