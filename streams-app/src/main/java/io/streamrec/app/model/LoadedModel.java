package io.streamrec.app.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamrec.app.retrieval.RetrievalIndex;
import io.streamrec.schemas.model.ServingSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A model ready to score: an ONNX Runtime session over the release's graph plus the vocabularies that map
 * external ids to the graph's indices (model index i + 1 is vocabulary entry i; 0 is padding / unknown).
 *
 * <p>Thread-safe: ONNX Runtime sessions accept concurrent {@code run} calls; the catalogue's candidate tensors
 * are created once per batch size and only ever read (ONNX Runtime never writes a graph input); a one-user
 * full-catalogue call borrows a {@link CatalogueCall} (its own input and output tensors) from a pool that grows
 * to the number of threads scoring at once; every other tensor is created and closed within one call. Lifetime: owned by the
 * {@link ModelRegistry}, which closes it only after the last {@link ModelLease} on it is released; never close
 * it while a call may be running (that crashes the JVM).
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelInfo info;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final List<String> itemIds;
    private final Map<String, Integer> itemIndexById;
    private final Map<String, Integer> userIndexById;
    /** The candidates [1, itemCount] of a one-user full-catalogue call, built once: every click asks for them. */
    private final OnnxTensor catalogue;
    /** The catalogue {@code 1..itemCount} repeated {@code maxBatch} times, read by the batch calls' candidates. */
    private final LongBuffer catalogueRows;
    private final int maxBatch;
    /** The candidates [b, itemCount] of a b-user call at index b, made on first use (guarded by itself). */
    private final OnnxTensor[] catalogueByBatch;
    /** Idle full-catalogue call buffers; a caller takes one, or makes one when none is idle. */
    private final Queue<CatalogueCall> idleCalls = new ConcurrentLinkedQueue<>();
    /** Every call buffer made, to close with the model (guarded by itself). */
    private final List<CatalogueCall> allCalls = new ArrayList<>();
    /** The retrieval stage, or null when every list scores the whole catalogue. */
    private final Retrieval retrieval;

    /**
     * The retrieval stage of a two-stage model: an index over the graph's {@code retrieval_items}, searched with
     * its {@code retrieval_query}, and how many of the found items one list ranks. Immutable.
     */
    public record Retrieval(RetrievalIndex index, int candidates) {
        public Retrieval {
            Objects.requireNonNull(index, "index");
            if (candidates < 1) {
                throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
            }
        }
    }

    /**
     * Takes ownership of {@code session}: {@link #close()} closes it. Callers close the model (not the session)
     * when something fails after this.
     */
    LoadedModel(ModelInfo info, OrtEnvironment environment, OrtSession session, List<String> itemIds,
                List<String> userIds, int maxBatch, Retrieval retrieval) throws OrtException {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        this.info = Objects.requireNonNull(info, "info");
        this.environment = environment;
        this.session = session;
        this.itemIds = List.copyOf(itemIds);
        this.itemIndexById = indexById(itemIds);
        this.userIndexById = indexById(userIds);
        this.maxBatch = maxBatch;
        this.retrieval = retrieval;
        if (retrieval != null && retrieval.index().size() != itemIds.size()) {
            throw new IllegalArgumentException("the retrieval index holds " + retrieval.index().size()
                    + " items, the vocabulary " + itemIds.size());
        }
        // A two-stage model never scores the whole catalogue (10^5 to 10^6 items): no catalogue tensors for it.
        this.catalogueRows = retrieval != null ? null : ByteBuffer.allocateDirect(maxBatch * itemIds.size() * Long.BYTES)
                .order(ByteOrder.nativeOrder()).asLongBuffer();
        if (catalogueRows != null) {
            for (int row = 0; row < maxBatch; row++) {
                for (int i = 1; i <= itemIds.size(); i++) {
                    catalogueRows.put(i);
                }
            }
        }
        this.catalogueByBatch = new OnnxTensor[maxBatch + 1];
        this.catalogue = retrieval != null ? null : catalogueTensor(1);
    }

    private static Map<String, Integer> indexById(List<String> ids) {
        Map<String, Integer> byId = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            byId.put(ids.get(i), i + 1);
        }
        return byId;
    }

    public ModelInfo info() {
        return info;
    }

    public int itemCount() {
        return itemIds.size();
    }

    public int historyLength() {
        return info.historyLength();
    }

    /** The retrieval stage when lists are served in two stages; empty when each scores the whole catalogue. */
    public Optional<Retrieval> retrieval() {
        return Optional.ofNullable(retrieval);
    }

    /** The model index of an item, or 0 when the item is outside the vocabulary. */
    public int itemIndex(String itemId) {
        return itemIndexById.getOrDefault(itemId, (int) ServingSignature.PADDING);
    }

    /** The external id of a model index in 1..itemCount. */
    public String itemId(int modelIndex) {
        return itemIds.get(modelIndex - 1);
    }

    /** The model index of a user, or 0 (unknown user) when the model learned no embedding for them. */
    public int userIndex(String userId) {
        return userIndexById.getOrDefault(userId, (int) ServingSignature.UNKNOWN_USER);
    }

    /**
     * The graph's history input for a user: the known items among {@code recentItemIds} (oldest first), the
     * last H of them, left-padded with 0 so the most recent item is last.
     */
    public long[] historyInput(List<String> recentItemIds) {
        int historyLength = info.historyLength();
        long[] history = new long[historyLength];
        int slot = historyLength - 1;
        for (int i = recentItemIds.size() - 1; i >= 0 && slot >= 0; i--) {
            int index = itemIndex(recentItemIds.get(i));
            if (index != 0) {
                history[slot--] = index;
            }
        }
        return history;
    }

    /**
     * Scores the whole catalogue for one user in a single session call. Not for a two-stage model
     * ({@link #retrieval()} present), which has no catalogue tensors.
     *
     * @return {@code scores[i]} is the score of model index {@code i + 1}
     */
    public float[] scoreCatalogue(int userIndex, long[] history) throws OrtException {
        checkHistory(history);
        requireCatalogue();
        CatalogueCall call = idleCalls.poll();
        if (call == null) {
            call = newCatalogueCall();
        }
        try {
            return call.score(session, userIndex, history);
        } finally {
            idleCalls.offer(call);
        }
    }

    private CatalogueCall newCatalogueCall() throws OrtException {
        CatalogueCall call = new CatalogueCall(environment, catalogue, info.historyLength(), itemIds.size());
        synchronized (allCalls) {
            allCalls.add(call);
        }
        return call;
    }

    /** The largest number of users one session call scores; {@link #scoreCatalogue(long[], long[][])} splits larger batches. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Scores the whole catalogue for a batch of users, in one session call per {@link #maxBatch()} users: the
     * item side of the graph is read once per call instead of once per user.
     *
     * @param users     model user indices (0 for unknown)
     * @param histories one {@link #historyInput} per user
     * @return {@code scores[b][i]} is user b's score of model index {@code i + 1}
     */
    public float[][] scoreCatalogue(long[] users, long[][] histories) throws OrtException {
        if (users.length != histories.length) {
            throw new IllegalArgumentException(users.length + " users but " + histories.length + " histories");
        }
        float[][] scores = new float[users.length][];
        for (int from = 0; from < users.length; from += maxBatch) {
            int to = Math.min(users.length, from + maxBatch);
            if (to - from == 1) {
                scores[from] = scoreCatalogue(Math.toIntExact(users[from]), histories[from]);
            } else {
                float[][] part = scoreCatalogueChunk(Arrays.copyOfRange(users, from, to),
                        Arrays.copyOfRange(histories, from, to));
                System.arraycopy(part, 0, scores, from, part.length);
            }
        }
        return scores;
    }

    private float[][] scoreCatalogueChunk(long[] users, long[][] histories) throws OrtException {
        requireCatalogue();
        int batch = users.length;
        try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(users), new long[] {batch});
             OnnxTensor history = historyTensor(histories)) {
            return run(user, history, catalogueTensor(batch), batch, itemIds.size());
        }
    }

    private OnnxTensor historyTensor(long[][] histories) throws OrtException {
        int historyLength = info.historyLength();
        LongBuffer buffer = LongBuffer.allocate(histories.length * historyLength);
        for (long[] history : histories) {
            checkHistory(history);
            buffer.put(history);
        }
        buffer.flip();
        return OnnxTensor.createTensor(environment, buffer, new long[] {histories.length, historyLength});
    }

    /**
     * The candidates [b, itemCount] over the first b rows of {@link #catalogueRows}, made once per b: a direct
     * buffer is read in place, so no call copies the catalogue. Closed with the model.
     */
    private void requireCatalogue() {
        if (catalogueRows == null) {
            throw new IllegalStateException(info + " serves in two stages: it scores retrieved candidates, never"
                    + " the whole catalogue");
        }
    }

    private OnnxTensor catalogueTensor(int batch) throws OrtException {
        synchronized (catalogueByBatch) {
            if (catalogueByBatch[batch] == null) {
                LongBuffer rows = catalogueRows.duplicate().position(0).limit(batch * itemIds.size()).slice();
                catalogueByBatch[batch] = OnnxTensor.createTensor(environment, rows,
                        new long[] {batch, itemIds.size()});
            }
            return catalogueByBatch[batch];
        }
    }

    /** Scores the given candidates (model indices) for a batch of users, all with the same candidates. */
    public float[][] score(long[] users, long[][] histories, long[] candidatesPerUser, int candidateCount)
            throws OrtException {
        int batch = users.length;
        LongBuffer candidateBuffer = LongBuffer.allocate(batch * candidateCount);
        for (int b = 0; b < batch; b++) {
            candidateBuffer.put(candidatesPerUser, 0, candidateCount);
        }
        candidateBuffer.flip();
        try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(users), new long[] {batch});
             OnnxTensor history = historyTensor(histories);
             OnnxTensor candidates = OnnxTensor.createTensor(environment, candidateBuffer,
                     new long[] {batch, candidateCount})) {
            return run(user, history, candidates, batch, candidateCount);
        }
    }

    /**
     * Scores each user's own candidates (model indices), {@link #maxBatch()} users per session call.
     *
     * @param candidates one row per user, all of the same length C
     * @return {@code scores[b][c]} is user b's score of {@code candidates[b][c]}
     */
    public float[][] scoreCandidates(long[] users, long[][] histories, long[][] candidates) throws OrtException {
        if (users.length != histories.length || users.length != candidates.length) {
            throw new IllegalArgumentException(users.length + " users, " + histories.length + " histories, "
                    + candidates.length + " candidate rows");
        }
        float[][] scores = new float[users.length][];
        for (int from = 0; from < users.length; from += maxBatch) {
            int to = Math.min(users.length, from + maxBatch);
            int width = candidates[from].length;
            LongBuffer rows = LongBuffer.allocate((to - from) * width);
            for (int b = from; b < to; b++) {
                if (candidates[b].length != width) {
                    throw new IllegalArgumentException("candidate rows differ in length: " + width + " and "
                            + candidates[b].length);
                }
                rows.put(candidates[b]);
            }
            rows.flip();
            try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(users, from, to - from),
                         new long[] {to - from});
                 OnnxTensor history = historyTensor(Arrays.copyOfRange(histories, from, to));
                 OnnxTensor candidateTensor = OnnxTensor.createTensor(environment, rows,
                         new long[] {to - from, width})) {
                System.arraycopy(run(user, history, candidateTensor, to - from, width), 0, scores, from, to - from);
            }
        }
        return scores;
    }

    /**
     * The retrieval stage's query vector of each user, {@link #maxBatch()} users per session call (only the
     * query's part of the graph runs).
     *
     * @throws IllegalStateException when the model has no retrieval stage
     */
    public float[][] retrievalQueries(long[] users, long[][] histories) throws OrtException {
        if (retrieval == null) {
            throw new IllegalStateException(info + " has no retrieval stage");
        }
        float[][] queries = new float[users.length][];
        for (int from = 0; from < users.length; from += maxBatch) {
            int to = Math.min(users.length, from + maxBatch);
            long[] ones = new long[to - from];
            Arrays.fill(ones, 1L);
            try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(users, from, to - from),
                         new long[] {to - from});
                 OnnxTensor history = historyTensor(Arrays.copyOfRange(histories, from, to));
                 OnnxTensor candidates = OnnxTensor.createTensor(environment, LongBuffer.wrap(ones),
                         new long[] {to - from, 1});
                 OrtSession.Result result = session.run(Map.of(ServingSignature.USER, user,
                         ServingSignature.HISTORY, history, ServingSignature.CANDIDATES, candidates),
                         Set.of(ServingSignature.RETRIEVAL_QUERY))) {
                float[][] part = (float[][]) result.get(0).getValue();
                System.arraycopy(part, 0, queries, from, part.length);
            }
        }
        return queries;
    }

    private void checkHistory(long[] history) {
        if (history.length != info.historyLength()) {
            throw new IllegalArgumentException("history has " + history.length + " entries, the model takes "
                    + info.historyLength());
        }
    }

    private float[][] run(OnnxTensor user, OnnxTensor history, OnnxTensor candidates, int batch, int candidateCount)
            throws OrtException {
        // Only the scores: a two-stage graph's retrieval outputs are not computed unless asked for.
        try (OrtSession.Result result = session.run(Map.of(
                ServingSignature.USER, user,
                ServingSignature.HISTORY, history,
                ServingSignature.CANDIDATES, candidates), Set.of(ServingSignature.SCORES))) {
            OnnxValue output = result.get(ServingSignature.SCORES)
                    .orElseThrow(() -> new OrtException("the graph produced no '" + ServingSignature.SCORES + "'"));
            // One copy into Java arrays (getFloatBuffer and then arrays would copy the scores twice).
            Object value = output.getValue();
            if (!(value instanceof float[][] scores) || scores.length != batch
                    || (batch > 0 && scores[0].length != candidateCount)) {
                throw new OrtException("'scores' is " + ((OnnxTensor) output).getInfo() + ", expected float ["
                        + batch + ", " + candidateCount + "]");
            }
            return scores;
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the session of " + info + " failed", e);
        } finally {
            // After the session, so no call can still be reading or writing them.
            synchronized (allCalls) {
                allCalls.forEach(CatalogueCall::close);
            }
            synchronized (catalogueByBatch) {
                for (OnnxTensor tensor : catalogueByBatch) {
                    if (tensor != null) {
                        tensor.close();
                    }
                }
            }
        }
    }

    /**
     * The tensors of one full-catalogue call over direct buffers, made once and reused: ONNX Runtime reads a
     * direct buffer's memory in place and writes the scores into the pinned output, so a click allocates no
     * native memory and copies the scores once (tensors over heap arrays are copied into a fresh direct buffer
     * on every call). One call at a time; closed by the model.
     */
    private static final class CatalogueCall implements AutoCloseable {

        private final LongBuffer user;
        private final LongBuffer history;
        private final FloatBuffer scores;
        private final OnnxTensor userTensor;
        private final OnnxTensor historyTensor;
        private final OnnxTensor scoresTensor;
        private final Map<String, OnnxTensor> inputs;
        private final Map<String, OnnxTensor> outputs;

        CatalogueCall(OrtEnvironment environment, OnnxTensor catalogue, int historyLength, int itemCount)
                throws OrtException {
            this.user = direct(1, Long.BYTES).asLongBuffer();
            this.history = direct(historyLength, Long.BYTES).asLongBuffer();
            this.scores = direct(itemCount, Float.BYTES).asFloatBuffer();
            List<OnnxTensor> made = new ArrayList<>(3);
            try {
                this.userTensor = track(made, OnnxTensor.createTensor(environment, user, new long[] {1}));
                this.historyTensor = track(made, OnnxTensor.createTensor(environment, history,
                        new long[] {1, historyLength}));
                this.scoresTensor = track(made, OnnxTensor.createTensor(environment, scores,
                        new long[] {1, itemCount}));
            } catch (OrtException | RuntimeException e) {
                made.forEach(OnnxTensor::close);
                throw e;
            }
            this.inputs = Map.of(ServingSignature.USER, userTensor, ServingSignature.HISTORY, historyTensor,
                    ServingSignature.CANDIDATES, catalogue);
            this.outputs = Map.of(ServingSignature.SCORES, scoresTensor);
        }

        private static ByteBuffer direct(int elements, int bytesEach) {
            return ByteBuffer.allocateDirect(elements * bytesEach).order(ByteOrder.nativeOrder());
        }

        private static OnnxTensor track(List<OnnxTensor> made, OnnxTensor tensor) {
            made.add(tensor);
            return tensor;
        }

        float[] score(OrtSession session, int userIndex, long[] historyIndices) throws OrtException {
            user.put(0, userIndex);
            history.put(0, historyIndices);
            // The result holds only the pinned output, which it does not own: closing it frees nothing of ours.
            session.run(inputs, outputs).close();
            float[] out = new float[scores.capacity()];
            scores.get(0, out);
            return out;
        }

        @Override
        public void close() {
            scoresTensor.close();
            historyTensor.close();
            userTensor.close();
        }
    }

    @Override
    public String toString() {
        return info.toString();
    }
}
