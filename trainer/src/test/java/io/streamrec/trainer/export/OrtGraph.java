package io.streamrec.trainer.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.streamrec.schemas.model.ServingSignature;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * An ONNX Runtime session over an exported graph, for tests: scores int index arrays the way
 * {@code NcfModel.score} takes them. Every tensor and result is closed within {@link #score}; close the
 * graph to free the session. Thread-safe for concurrent {@link #score} calls.
 */
public final class OrtGraph implements AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final int historyLength;

    public OrtGraph(byte[] onnx, int historyLength) throws OrtException {
        this.environment = OrtEnvironment.getEnvironment();
        this.historyLength = historyLength;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            this.session = environment.createSession(onnx, options);
        }
    }

    public OrtSession session() {
        return session;
    }

    /**
     * Scores rectangular candidates: {@code candidates[b]} all of one length; {@code histories[b]} of the
     * graph's width (or null rows, sent as all padding).
     */
    public float[][] score(int[] users, int[][] histories, int[][] candidates) throws OrtException {
        int batch = users.length;
        int count = candidates[0].length;
        long[] user = new long[batch];
        long[] history = new long[batch * historyLength];
        long[] items = new long[batch * count];
        for (int b = 0; b < batch; b++) {
            user[b] = users[b];
            if (histories != null && histories[b] != null) {
                for (int j = 0; j < historyLength; j++) {
                    history[b * historyLength + j] = histories[b][j];
                }
            }
            if (candidates[b].length != count) {
                throw new IllegalArgumentException("candidate rows must have one length");
            }
            for (int c = 0; c < count; c++) {
                items[b * count + c] = candidates[b][c];
            }
        }
        try (OnnxTensor userTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(user), new long[] {batch});
             OnnxTensor historyTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(history),
                     new long[] {batch, historyLength});
             OnnxTensor candidateTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(items),
                     new long[] {batch, count});
             OrtSession.Result result = session.run(Map.of(ServingSignature.USER, userTensor,
                     ServingSignature.HISTORY, historyTensor, ServingSignature.CANDIDATES, candidateTensor))) {
            OnnxValue value = result.get(ServingSignature.SCORES).orElseThrow();
            OnnxTensor tensor = (OnnxTensor) value;
            long[] shape = tensor.getInfo().getShape();
            if (shape.length != 2 || shape[0] != batch || shape[1] != count) {
                throw new IllegalStateException("scores have shape " + java.util.Arrays.toString(shape));
            }
            FloatBuffer scores = tensor.getFloatBuffer();
            float[][] out = new float[batch][count];
            for (int b = 0; b < batch; b++) {
                scores.get(out[b]);
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
