package io.streamrec.app.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.streamrec.app.retrieval.RetrievalIndex;
import io.streamrec.app.retrieval.RetrievalSettings;
import io.streamrec.app.retrieval.ShippedIndex;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.RetrievalIndexFormat;
import io.streamrec.schemas.model.ServingSignature;
import java.io.IOException;
import java.net.URI;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retrieval stage of a release being loaded ({@link ModelLoader}): none when the graph offers none or the
 * catalogue is below {@link RetrievalSettings#appliesTo}; else the index over the graph's item vectors. With
 * {@code retrieval.index=hnsw} and an index in the release, that index is fetched, checked against its signed
 * checksum and opened ({@link ShippedIndex}); otherwise the item vectors are read from the graph and the
 * configured index is built here, which at a million items takes minutes. Thread-safe.
 */
final class RetrievalStageLoader {

    private static final Logger log = LoggerFactory.getLogger(RetrievalStageLoader.class);

    private final OnnxRuntime runtime;
    private final ArtifactFetcher fetcher;
    private final RetrievalSettings settings;

    RetrievalStageLoader(OnnxRuntime runtime, ArtifactFetcher fetcher, RetrievalSettings settings) {
        this.runtime = runtime;
        this.fetcher = fetcher;
        this.settings = settings;
    }

    /**
     * The stage, or null when every list is scored whole. A graph whose retrieval outputs do not match its
     * metadata, or a shipped index that fails its checks, is rejected.
     */
    LoadedModel.Retrieval load(String what, OrtSession session, Map<String, String> metadata, ModelRelease release,
                               int items) throws ReleaseRejectedException, OrtException {
        String kind = metadata.get(ServingSignature.META_RETRIEVAL);
        if (kind == null || !settings.appliesTo(items)) {
            return null;
        }
        if (!kind.equals(ServingSignature.RETRIEVAL_GMF)) {
            log.warn("event=retrieval_unknown model={} version={} retrieval=\"{}\" note=\"scored whole\"",
                    release.getName(), release.getVersion(), kind);
            return null;
        }
        int width = checkOutputs(what, session);
        long start = System.nanoTime();
        RetrievalIndex index = usesShippedIndex(release) ? shipped(what, release, items, width)
                : build(what, session, release.getHistoryLength(), items, width);
        log.info("event=retrieval_index_ready model={} version={} index={} source={} items={} dimension={}"
                        + " ms={} index_bytes={}", release.getName(), release.getVersion(), settings.kind().label(),
                index instanceof ShippedIndex ? "release" : "built", items, width,
                ModelLoader.millis(start, System.nanoTime()), index.structureBytes());
        return new LoadedModel.Retrieval(index, settings.candidates());
    }

    private boolean usesShippedIndex(ModelRelease release) {
        ReleaseArtifact shipped = release.getRetrievalIndex();
        if (shipped == null || settings.kind() != RetrievalSettings.Kind.HNSW) {
            return false;
        }
        if (!shipped.getFormat().equals(RetrievalIndexFormat.FORMAT)) {
            log.warn("event=retrieval_index_format_unknown model={} version={} format=\"{}\" note=\"built here"
                    + " instead\"", release.getName(), release.getVersion(), shipped.getFormat());
            return false;
        }
        return true;
    }

    /** Checks the two retrieval outputs; returns the query's width. */
    private static int checkOutputs(String what, OrtSession session) throws ReleaseRejectedException, OrtException {
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (!outputs.containsKey(ServingSignature.RETRIEVAL_QUERY)
                || !outputs.containsKey(ServingSignature.RETRIEVAL_ITEMS)) {
            throw new ReleaseRejectedException("graph", what + ": the metadata promises a retrieval stage but the"
                    + " graph's outputs are " + outputs.keySet());
        }
        long[] query = ModelLoader.checkTensor(what, outputs.get(ServingSignature.RETRIEVAL_QUERY),
                ServingSignature.RETRIEVAL_QUERY, OnnxJavaType.FLOAT, 2);
        ModelLoader.checkTensor(what, outputs.get(ServingSignature.RETRIEVAL_ITEMS), ServingSignature.RETRIEVAL_ITEMS,
                OnnxJavaType.FLOAT, 2);
        if (query[1] < 1) {
            throw new ReleaseRejectedException("graph", what + ": '" + ServingSignature.RETRIEVAL_QUERY + "' has no"
                    + " fixed width: " + Arrays.toString(query));
        }
        return Math.toIntExact(query[1]);
    }

    /** The release's index, fetched and checked against its signed checksum and the graph's shapes. */
    private RetrievalIndex shipped(String what, ModelRelease release, int items, int width)
            throws ReleaseRejectedException {
        ReleaseArtifact artifact = release.getRetrievalIndex();
        byte[] packed;
        try {
            packed = fetcher.fetch(URI.create(artifact.getUri()));
        } catch (IOException | IllegalArgumentException e) {
            throw new ReleaseRejectedException("artifact", what + ": cannot fetch the retrieval index "
                    + artifact.getUri() + ": " + e.getMessage(), e);
        }
        ReleaseVerifier.verifyChecksum(release, artifact, "the retrieval index", packed);
        try {
            return ShippedIndex.open(packed, items, width, fetcher.maxBytes());
        } catch (IOException | RuntimeException e) {
            throw new ReleaseRejectedException("artifact", what + ": the retrieval index cannot be used: "
                    + e.getMessage(), e);
        }
    }

    /** The configured index built here over the graph's item vectors. */
    private RetrievalIndex build(String what, OrtSession session, int historyLength, int items, int width)
            throws ReleaseRejectedException, OrtException {
        float[] rows = itemRows(what, session, historyLength, items, width);
        return settings.build(rows, items, width);
    }

    /**
     * Item vectors of model indices 1..N, row-major, from the graph's item-vector output (it reads no input, but
     * ONNX Runtime wants every input fed).
     */
    private float[] itemRows(String what, OrtSession session, int historyLength, int items, int width)
            throws ReleaseRejectedException, OrtException {
        var environment = runtime.environment();
        try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[1]), new long[] {1});
             OnnxTensor history = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[historyLength]),
                     new long[] {1, historyLength});
             OnnxTensor candidates = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[] {1}),
                     new long[] {1, 1});
             OrtSession.Result result = session.run(Map.of(ServingSignature.USER, user, ServingSignature.HISTORY,
                     history, ServingSignature.CANDIDATES, candidates), Set.of(ServingSignature.RETRIEVAL_ITEMS))) {
            OnnxValue value = result.get(0);
            long[] shape = ((TensorInfo) value.getInfo()).getShape();
            if (shape.length != 2 || shape[0] != items + 2L || shape[1] != width) {
                throw new ReleaseRejectedException("graph", what + ": '" + ServingSignature.RETRIEVAL_ITEMS + "' is "
                        + Arrays.toString(shape) + ", expected [" + (items + 2) + ", " + width + "]");
            }
            FloatBuffer all = ((OnnxTensor) value).getFloatBuffer();
            float[] rows = new float[items * width];
            all.position(width).get(rows); // row 0 is padding
            for (int i = 0; i < rows.length; i++) {
                if (!Float.isFinite(rows[i])) {
                    throw new ReleaseRejectedException("probe", what + ": the retrieval vector of item "
                            + (i / width + 1) + " is not finite");
                }
            }
            return rows;
        }
    }
}
