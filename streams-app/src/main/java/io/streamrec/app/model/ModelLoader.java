package io.streamrec.app.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.streamrec.app.retrieval.RetrievalSettings;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ReleaseVocabularies;
import io.streamrec.schemas.model.ServingSignature;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link ModelRelease} into a {@link LoadedModel} ready to serve, or rejects it with a reason: the
 * signature (by a trusted key), the graph bytes and the vocabularies (inline or fetched) against the signed
 * checksums, the vocabularies' entries, the graph's signature (input and output names, types, ranks), agreement between graph and
 * vocabulary (every item and user index must be scorable), then a warm-up and a probe on edge-case inputs
 * (unknown user, empty and full histories, the whole catalogue) that must give finite scores of the right
 * shape. Nothing is half-loaded: a rejected release leaves no session behind.
 *
 * <p>Slow (builds a session, runs the graph): call it off the stream threads. Thread-safe.
 */
public final class ModelLoader {

    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private final OnnxRuntime runtime;
    private final ReleaseVerifier verifier;
    private final ArtifactFetcher fetcher;
    private final int warmupRuns;
    private final RetrievalStageLoader retrievalStage;

    /** A loader with the default {@link RetrievalSettings}. */
    public ModelLoader(OnnxRuntime runtime, ReleaseVerifier verifier, ArtifactFetcher fetcher, int warmupRuns) {
        this(runtime, verifier, fetcher, warmupRuns, RetrievalSettings.defaults());
    }

    /** @param retrievalSettings when a release's retrieval stage is used, and the index it gets */
    public ModelLoader(OnnxRuntime runtime, ReleaseVerifier verifier, ArtifactFetcher fetcher, int warmupRuns,
                       RetrievalSettings retrievalSettings) {
        this.runtime = runtime;
        this.verifier = verifier;
        this.fetcher = fetcher;
        this.warmupRuns = warmupRuns;
        this.retrievalStage = new RetrievalStageLoader(runtime, fetcher, retrievalSettings);
    }

    /**
     * The checks of {@link #load} that need no graph to be fetched or built: the signature, and the checksum of
     * an inline graph. Quick enough for where releases arrive, to refuse forged or corrupted ones there.
     *
     * @throws ReleaseRejectedException with reason {@code signature-missing}, {@code unknown-key},
     *     {@code signature} or {@code checksum}
     */
    public void verifyWithoutLoading(ModelRelease release) throws ReleaseRejectedException {
        verifier.verifySignature(release);
        ByteBuffer inline = release.getOnnxModel();
        if (inline != null) {
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            ReleaseVerifier.verifyChecksum(release, bytes);
        }
    }

    /**
     * Verifies, builds, warms up and probes the release. The caller owns the returned model.
     *
     * @throws java.util.concurrent.CancellationException when the calling thread was interrupted, checked between
     *     steps
     */
    public LoadedModel load(ModelRelease release) throws ReleaseRejectedException {
        String what = release.getName() + " v" + release.getVersion();
        long start = System.nanoTime();
        Verified checked = verify(what, release);
        byte[] graph = checked.graph();
        ReleaseVocabularies vocabularies = checked.vocabularies();
        long verified = System.nanoTime();

        abandonIfInterrupted(what, "before building its session");
        OrtSession session;
        try {
            session = runtime.createSession(graph);
        } catch (OrtException e) {
            throw new ReleaseRejectedException("graph", what + ": ONNX Runtime cannot load the graph: "
                    + e.getMessage(), e);
        }
        long opened = System.nanoTime();
        LoadedModel model;
        try {
            abandonIfInterrupted(what, "after building its session");
            checkSignature(what, session, release.getHistoryLength());
            Map<String, String> metadata = checkMetadata(what, session, release, vocabularies);
            ModelInfo info = new ModelInfo(release.getName(), release.getVersion(), release.getVariant(),
                    release.getCreatedAt(), vocabularies.items().size(), vocabularies.users().size(),
                    release.getHistoryLength(), release.getMetrics(), release.getHyperparameters(),
                    release.getProvenance(), checked.signed() ? release.getSigningKeyId() : null, graph.length);
            LoadedModel.Retrieval retrieval = retrievalStage.load(what, session, metadata, release,
                    vocabularies.items().size());
            model = new LoadedModel(info, runtime.environment(), session, vocabularies.items(),
                    vocabularies.users(), runtime.settings().maxBatch(), retrieval);
        } catch (ReleaseRejectedException | RuntimeException e) {
            closeQuietly(session); // a CancellationException too
            throw e;
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ReleaseRejectedException("graph", what + ": cannot build the catalogue tensor or read the"
                    + " retrieval vectors: " + e.getMessage(), e);
        }
        long built = System.nanoTime();
        try {
            abandonIfInterrupted(what, "before its probe");
            probe(what, model, release.getVersion());
            // Where a load's time goes, for catalogues whose load is minutes: verify (signature, fetch,
            // checksum), session (ONNX Runtime parses and optimises the graph), model (vocabularies and any
            // retrieval index), probe.
            log.info("event=model_load_phases model={} version={} graph_bytes={} verify_ms={} session_ms={}"
                            + " model_ms={} probe_ms={}", release.getName(), release.getVersion(), graph.length,
                    millis(start, verified), millis(verified, opened), millis(opened, built),
                    millis(built, System.nanoTime()));
            return model;
        } catch (ReleaseRejectedException | RuntimeException e) {
            model.close(); // the model owns the session now
            throw e;
        }
    }

    /**
     * The registry interrupts its loader when it closes: a load then stops between steps, since ONNX Runtime's
     * own steps (building a session, running one) cannot be interrupted.
     */
    private static void abandonIfInterrupted(String what, String where) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException(what + ": load abandoned " + where + ", the app is stopping");
        }
    }

    /** What {@link #verify} established: whether a trusted key signed it, and its checked contents. */
    private record Verified(boolean signed, ReleaseVocabularies vocabularies, byte[] graph) {
    }

    /** The signature, the vocabularies and the graph, fetched where they travel by URI and checksummed. */
    private Verified verify(String what, ModelRelease release) throws ReleaseRejectedException {
        boolean signed = verifier.verifySignature(release);
        if (!signed) {
            log.warn("event=model_unsigned_accepted model={} version={} note=\"model.accept.unsigned=true:"
                    + " for local demos only, never in production\"", release.getName(), release.getVersion());
        }
        ReleaseVocabularies vocabularies = ReleaseVocabularies.of(release, fetcher::fetch);
        checkVocabulary(what, vocabularies.items(), "item");
        checkVocabulary(what, vocabularies.users(), "user");
        if (release.getHistoryLength() < 1) {
            throw new ReleaseRejectedException("graph", what + ": historyLength must be >= 1, got "
                    + release.getHistoryLength());
        }
        byte[] graph = graphBytes(what, release);
        ReleaseVerifier.verifyChecksum(release, graph);
        return new Verified(signed, vocabularies, graph);
    }

    static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private byte[] graphBytes(String what, ModelRelease release) throws ReleaseRejectedException {
        ByteBuffer inline = release.getOnnxModel();
        String uri = release.getArtifactUri();
        if (inline != null && uri != null) {
            throw new ReleaseRejectedException("artifact", what + " carries both inline ONNX bytes and an artifact URI");
        }
        if (inline != null) {
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            return bytes;
        }
        if (uri == null) {
            throw new ReleaseRejectedException("artifact", what + " carries neither ONNX bytes nor an artifact URI");
        }
        try {
            return fetcher.fetch(URI.create(uri));
        } catch (IOException | IllegalArgumentException e) {
            throw new ReleaseRejectedException("artifact", what + ": cannot fetch " + uri + ": " + e.getMessage(), e);
        }
    }

    private static void checkVocabulary(String what, List<String> ids, String kind) throws ReleaseRejectedException {
        if (kind.equals("item") && ids.isEmpty()) {
            throw new ReleaseRejectedException("vocabulary", what + ": the item vocabulary is empty");
        }
        Set<String> seen = new HashSet<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null || id.isBlank()) {
                throw new ReleaseRejectedException("vocabulary", what + ": " + kind + " vocabulary entry " + i
                        + " is blank");
            }
            if (!seen.add(id)) {
                throw new ReleaseRejectedException("vocabulary", what + ": " + kind + " id '" + id
                        + "' appears twice in the vocabulary");
            }
        }
    }

    private static void checkSignature(String what, OrtSession session, int historyLength)
            throws ReleaseRejectedException {
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            if (!inputs.keySet().equals(Set.of(ServingSignature.USER, ServingSignature.HISTORY,
                    ServingSignature.CANDIDATES))) {
                throw new ReleaseRejectedException("graph", what + ": graph inputs are " + inputs.keySet()
                        + ", the serving signature needs exactly [user, history, candidates]");
            }
            if (!outputs.containsKey(ServingSignature.SCORES)) {
                throw new ReleaseRejectedException("graph", what + ": graph outputs are " + outputs.keySet()
                        + ", the serving signature needs 'scores'");
            }
            long[] historyShape = checkTensor(what, inputs.get(ServingSignature.HISTORY), ServingSignature.HISTORY,
                    OnnxJavaType.INT64, 2);
            checkTensor(what, inputs.get(ServingSignature.USER), ServingSignature.USER, OnnxJavaType.INT64, 1);
            checkTensor(what, inputs.get(ServingSignature.CANDIDATES), ServingSignature.CANDIDATES,
                    OnnxJavaType.INT64, 2);
            checkTensor(what, outputs.get(ServingSignature.SCORES), ServingSignature.SCORES, OnnxJavaType.FLOAT, 2);
            if (historyShape[1] > 0 && historyShape[1] != historyLength) {
                throw new ReleaseRejectedException("graph", what + ": the graph's history input has width "
                        + historyShape[1] + " but the release says historyLength=" + historyLength);
            }
        } catch (OrtException e) {
            throw new ReleaseRejectedException("graph", what + ": cannot read the graph's signature: "
                    + e.getMessage(), e);
        }
    }

    static long[] checkTensor(String what, NodeInfo node, String name, OnnxJavaType type, int rank)
            throws ReleaseRejectedException {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != type
                || tensor.getShape().length != rank) {
            throw new ReleaseRejectedException("graph", what + ": '" + name + "' is " + node.getInfo()
                    + ", the serving signature needs a rank-" + rank + " " + type + " tensor");
        }
        return tensor.getShape();
    }

    /** Checks the graph's counts against the release; returns the graph's metadata. */
    private static Map<String, String> checkMetadata(String what, OrtSession session, ModelRelease release,
                                                     ReleaseVocabularies vocabularies)
            throws ReleaseRejectedException {
        Map<String, String> metadata;
        try {
            metadata = session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new ReleaseRejectedException("graph", what + ": cannot read the graph's metadata", e);
        }
        checkCount(what, metadata, ServingSignature.META_ITEM_COUNT, vocabularies.items().size(), "item");
        checkCount(what, metadata, ServingSignature.META_USER_COUNT, vocabularies.users().size(), "user");
        checkCount(what, metadata, ServingSignature.META_HISTORY_LENGTH, release.getHistoryLength(), "history");
        return metadata;
    }

    private static void checkCount(String what, Map<String, String> metadata, String key, int expected, String kind)
            throws ReleaseRejectedException {
        String value = metadata.get(key);
        if (value != null && !value.equals(Integer.toString(expected))) {
            throw new ReleaseRejectedException("vocabulary", what + ": the graph was built for " + kind + " count "
                    + value + " but the release carries " + expected);
        }
    }

    /**
     * Runs the graph on the inputs serving will give it, including the extremes (largest item and user
     * indices, which a graph with too small an embedding table cannot take), and demands finite scores.
     */
    private void probe(String what, LoadedModel model, long seed) throws ReleaseRejectedException {
        int items = model.itemCount();
        int users = model.info().userCount();
        int historyLength = model.historyLength();
        Random random = new Random(seed);
        long[] emptyHistory = new long[historyLength];
        long[] fullHistory = new long[historyLength];
        for (int h = 0; h < historyLength; h++) {
            fullHistory[h] = h == historyLength - 1 ? items : 1 + random.nextInt(items);
        }
        long[] someUsers = {0, users, users == 0 ? 0 : 1 + random.nextInt(users)};
        long[][] histories = {emptyHistory, fullHistory, fullHistory};
        long[] candidates = {1, items, 1 + random.nextInt(items)};
        try {
            if (model.retrieval().isEmpty()) {
                for (int run = 0; run < Math.max(1, warmupRuns); run++) {
                    requireFinite(what, model.scoreCatalogue(0, emptyHistory), "unknown user, empty history");
                    requireFinite(what, model.scoreCatalogue(users, fullHistory), "user " + users + ", full history");
                }
                requireFinite(what, fullBatch(model, users, fullHistory), "a full batch of users");
            }
            for (int run = 0; run < Math.max(1, warmupRuns); run++) {
                requireFinite(what, model.score(someUsers, histories, candidates, candidates.length),
                        "a batch of 3 users");
            }
            if (model.retrieval().isPresent()) {
                probeRetrieval(what, model, someUsers, histories);
            }
        } catch (OrtException | RuntimeException e) {
            throw new ReleaseRejectedException("probe", what + ": the graph fails on probe inputs (does its"
                    + " embedding table cover the vocabulary?): " + e.getMessage(), e);
        }
    }

    /** The retrieval stage on the probe users: finite queries that find candidates the ranker scores finitely. */
    private static void probeRetrieval(String what, LoadedModel model, long[] users, long[][] histories)
            throws ReleaseRejectedException, OrtException {
        LoadedModel.Retrieval retrieval = model.retrieval().orElseThrow();
        float[][] queries = model.retrievalQueries(users, histories);
        requireFinite(what, queries, "retrieval queries");
        long[][] found = new long[users.length][];
        for (int b = 0; b < users.length; b++) {
            int[] items = retrieval.index().search(queries[b], retrieval.candidates(), item -> false);
            if (items.length == 0) {
                throw new ReleaseRejectedException("probe", what + ": the retrieval index found no item");
            }
            found[b] = new long[retrieval.candidates()];
            for (int c = 0; c < found[b].length; c++) {
                found[b][c] = items[Math.min(c, items.length - 1)];
            }
        }
        requireFinite(what, model.scoreCandidates(users, histories, found), "retrieved candidates");
    }

    /**
     * The catalogue scored for {@link LoadedModel#maxBatch()} users at once, every user index from 0 up: the
     * batch shape serving uses under load, warmed here so the first busy moment does not pay for it.
     */
    private static float[][] fullBatch(LoadedModel model, int users, long[] history) throws OrtException {
        int batch = model.maxBatch();
        long[] userIndices = new long[batch];
        long[][] histories = new long[batch][];
        for (int b = 0; b < batch; b++) {
            userIndices[b] = users == 0 ? 0 : b % (users + 1);
            histories[b] = history;
        }
        return model.scoreCatalogue(userIndices, histories);
    }

    private static void requireFinite(String what, float[][] scores, String input)
            throws ReleaseRejectedException {
        for (float[] row : scores) {
            requireFinite(what, row, input);
        }
    }

    private static void requireFinite(String what, float[] scores, String input) throws ReleaseRejectedException {
        for (int i = 0; i < scores.length; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new ReleaseRejectedException("probe", what + ": score " + scores[i] + " for candidate "
                        + (i + 1) + " on probe input (" + input + ") is not finite");
            }
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("event=session_close_failed error=\"{}\"", e.getMessage());
        }
    }
}
