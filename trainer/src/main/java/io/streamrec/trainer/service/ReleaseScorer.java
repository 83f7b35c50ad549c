package io.streamrec.trainer.service;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseVocabularies;
import io.streamrec.schemas.model.ServingSignature;
import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.model.Scorer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores with a published release's own ONNX graph, so the publish gate compares the new model with exactly what
 * serves. Indices of the current corpus are translated to the release's vocabularies by external id: an item
 * the release does not know scores {@code -Infinity} (it cannot be recommended, and ties count against the
 * model), a user it does not know is the unknown user 0, and unknown history items are left out.
 *
 * <p>Thread-safe (ONNX Runtime sessions accept concurrent runs; tensors are per call). Lifetime: close after the
 * last {@link #score} returned.
 */
public final class ReleaseScorer implements Scorer, AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final int historyLength;
    private final int[] userToRelease;
    private final int[] itemToRelease;

    private ReleaseScorer(OrtEnvironment environment, OrtSession session, int historyLength, int[] userToRelease,
                          int[] itemToRelease) {
        this.environment = environment;
        this.session = session;
        this.historyLength = historyLength;
        this.userToRelease = userToRelease;
        this.itemToRelease = itemToRelease;
    }

    /**
     * Opens a session over the release's (already verified) graph for scoring the current corpus.
     *
     * @param graph        the release's ONNX bytes, checked against its signed checksum by the caller
     * @param vocabularies the release's vocabularies, read as its graph was
     */
    public static ReleaseScorer open(ModelRelease release, byte[] graph, ReleaseVocabularies vocabularies,
                                     Vocabulary users, Vocabulary items) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = environment.createSession(graph, options);
        }
        return new ReleaseScorer(environment, session, release.getHistoryLength(),
                translation(users, vocabularies.users()), translation(items, vocabularies.items()));
    }

    /** current index → release index (0 when the release lacks the id). */
    private static int[] translation(Vocabulary current, List<String> releaseVocabulary) {
        Map<String, Integer> releaseIndex = new HashMap<>(releaseVocabulary.size() * 2);
        for (int i = 0; i < releaseVocabulary.size(); i++) {
            releaseIndex.put(releaseVocabulary.get(i), i + 1);
        }
        int[] translation = new int[current.size() + 1];
        for (int index = 1; index <= current.size(); index++) {
            translation[index] = releaseIndex.getOrDefault(current.id(index), 0);
        }
        return translation;
    }

    /** How many of the current items the release knows. */
    int knownItems() {
        return (int) Arrays.stream(itemToRelease).filter(index -> index != 0).count();
    }

    @Override
    public int historyLength() {
        return historyLength;
    }

    @Override
    public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
        int batch = users.length;
        int width = 0;
        for (int[] row : candidates) {
            width = Math.max(width, row.length);
        }
        long[] releaseUsers = new long[batch];
        long[] releaseHistories = new long[batch * historyLength];
        long[] releaseCandidates = new long[batch * width];
        for (int b = 0; b < batch; b++) {
            releaseUsers[b] = users[b] < userToRelease.length ? userToRelease[users[b]] : 0;
            if (histories != null && histories[b] != null) {
                int slot = historyLength - 1;
                for (int h = histories[b].length - 1; h >= 0 && slot >= 0; h--) {
                    int item = histories[b][h];
                    int translated = item > 0 && item < itemToRelease.length ? itemToRelease[item] : 0;
                    if (translated != 0) {
                        releaseHistories[b * historyLength + slot--] = translated;
                    }
                }
            }
            for (int c = 0; c < width; c++) {
                int item = c < candidates[b].length ? candidates[b][c] : 0;
                int translated = item > 0 && item < itemToRelease.length ? itemToRelease[item] : 0;
                // Index 1 stands in for unknown items so the graph gets valid input; their scores are overwritten.
                releaseCandidates[b * width + c] = translated == 0 ? 1 : translated;
            }
        }
        try (OnnxTensor user = OnnxTensor.createTensor(environment, LongBuffer.wrap(releaseUsers), new long[] {batch});
             OnnxTensor history = OnnxTensor.createTensor(environment, LongBuffer.wrap(releaseHistories),
                     new long[] {batch, historyLength});
             OnnxTensor candidate = OnnxTensor.createTensor(environment, LongBuffer.wrap(releaseCandidates),
                     new long[] {batch, width});
             OrtSession.Result result = session.run(Map.of(ServingSignature.USER, user,
                     ServingSignature.HISTORY, history, ServingSignature.CANDIDATES, candidate))) {
            FloatBuffer scores = ((OnnxTensor) result.get(ServingSignature.SCORES).orElseThrow()).getFloatBuffer();
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < candidates[b].length; c++) {
                    int item = candidates[b][c];
                    boolean known = item > 0 && item < itemToRelease.length && itemToRelease[item] != 0;
                    out[b][c] = known ? scores.get(b * width + c) : Float.NEGATIVE_INFINITY;
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("scoring with the serving release failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the serving release's session failed", e);
        }
    }
}
