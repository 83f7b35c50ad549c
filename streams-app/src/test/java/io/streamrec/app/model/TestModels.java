package io.streamrec.app.model;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ServingSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small ONNX graphs with the serving signature and scores a test can compute by hand:
 * {@code score[b, c] = (U[user[b]] + sum_h E[history[b, h]]) . E[candidates[b, c]]}, where row 0 of both
 * tables is zero (unknown user, padding). Built directly from ONNX's protobuf classes, so the streams app's
 * tests do not depend on the trainer.
 */
public final class TestModels {

    /** The key every test release is signed with. */
    public static final KeyPair TRAINER_KEY = ReleaseKeys.generate();

    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = OnnxMl.TensorProto.DataType.INT64.getNumber();

    /** The embedding tables of a dot model; row 0 of each is zero. */
    public record DotModel(float[][] users, float[][] items, int historyLength) {

        /** A seeded random model for {@code userCount} users and {@code itemCount} items. */
        public static DotModel random(int userCount, int itemCount, int dim, int historyLength, long seed) {
            Random random = new Random(seed);
            float[][] users = new float[userCount + 1][dim];
            float[][] items = new float[itemCount + 1][dim];
            for (int u = 1; u <= userCount; u++) {
                for (int d = 0; d < dim; d++) {
                    users[u][d] = (float) random.nextGaussian();
                }
            }
            for (int i = 1; i <= itemCount; i++) {
                for (int d = 0; d < dim; d++) {
                    items[i][d] = (float) random.nextGaussian();
                }
            }
            return new DotModel(users, items, historyLength);
        }

        /** The score the graph must produce, computed in Java. */
        public float expectedScore(int user, long[] history, int candidate) {
            int dim = items[0].length;
            float sum = 0f;
            for (int d = 0; d < dim; d++) {
                float query = users[user][d];
                for (long h : history) {
                    query += items[(int) h][d];
                }
                sum += query * items[candidate][d];
            }
            return sum;
        }

        public byte[] onnx() {
            return onnx(Map.of(
                    ServingSignature.META_ITEM_COUNT, Integer.toString(items.length - 1),
                    ServingSignature.META_USER_COUNT, Integer.toString(users.length - 1),
                    ServingSignature.META_HISTORY_LENGTH, Integer.toString(historyLength)),
                    ServingSignature.USER, ServingSignature.SCORES);
        }

        /** The graph with chosen metadata and input/output names, to build broken variants. */
        public byte[] onnx(Map<String, String> metadata, String userInputName, String scoresOutputName) {
            OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("dot");
            graph.addInput(valueInfo(userInputName, INT64, "batch"));
            graph.addInput(valueInfo(ServingSignature.HISTORY, INT64, "batch", historyLength));
            graph.addInput(valueInfo(ServingSignature.CANDIDATES, INT64, "batch", "candidates"));
            graph.addOutput(valueInfo(scoresOutputName, FLOAT, "batch", "candidates"));
            graph.addInitializer(floatMatrix("U", users));
            graph.addInitializer(floatMatrix("E", items));
            graph.addInitializer(longVector("axis1", 1));
            graph.addInitializer(longVector("axis2", 2));
            graph.addNode(node("Gather", List.of("U", userInputName), "user_vector"));
            graph.addNode(node("Gather", List.of("E", ServingSignature.HISTORY), "history_vectors"));
            graph.addNode(node("ReduceSum", List.of("history_vectors", "axis1"), "history_sum")
                    .addAttribute(intAttribute("keepdims", 0)));
            graph.addNode(node("Add", List.of("user_vector", "history_sum"), "query"));
            graph.addNode(node("Unsqueeze", List.of("query", "axis1"), "query_3d"));
            graph.addNode(node("Gather", List.of("E", ServingSignature.CANDIDATES), "candidate_vectors"));
            graph.addNode(node("Mul", List.of("candidate_vectors", "query_3d"), "products"));
            graph.addNode(node("ReduceSum", List.of("products", "axis2"), scoresOutputName)
                    .addAttribute(intAttribute("keepdims", 0)));
            OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                    .setIrVersion(8)
                    .setProducerName("streamrec-tests")
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                    .setGraph(graph);
            metadata.forEach((key, value) ->
                    model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
            return model.build().toByteArray();
        }
    }

    /** An unsigned release of the graph with vocabularies "item-1".. and "user-1"... */
    public static ModelRelease.Builder release(String name, long version, DotModel model, byte[] onnx) {
        List<String> itemIds = new ArrayList<>();
        for (int i = 1; i < model.items().length; i++) {
            itemIds.add("item-" + i);
        }
        List<String> userIds = new ArrayList<>();
        for (int u = 1; u < model.users().length; u++) {
            userIds.add("user-" + u);
        }
        return ModelRelease.newBuilder()
                .setName(name).setVersion(version).setVariant("test-dot")
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + version))
                .setOnnxModel(ByteBuffer.wrap(onnx)).setArtifactUri(null)
                .setSha256(ReleaseVerifier.sha256Hex(onnx))
                .setHistoryLength(model.historyLength())
                .setItemVocabulary(itemIds).setUserVocabulary(userIds)
                .setHyperparameters(new HashMap<>(Map.of("dim", Integer.toString(model.items()[0].length))))
                .setMetrics(new HashMap<>(Map.of("hr@10", 0.5)))
                .setProvenance(new HashMap<>(Map.of("source", "TestModels")));
    }

    /** A release of a fresh random model, signed with {@link #TRAINER_KEY}. */
    public static ModelRelease signedRelease(String name, long version, DotModel model) {
        return sign(release(name, version, model, model.onnx()).build());
    }

    public static ModelRelease sign(ModelRelease release) {
        return new ReleaseSigner(TRAINER_KEY).sign(release);
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int elementType, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dimension = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (dim instanceof Integer size) {
                dimension.setDimValue(size);
            } else {
                dimension.setDimParam((String) dim);
            }
            shape.addDim(dimension);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(elementType).setShape(shape)))
                .build();
    }

    private static OnnxMl.TensorProto floatMatrix(String name, float[][] rows) {
        ByteBuffer buffer = ByteBuffer.allocate(rows.length * rows[0].length * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            for (float value : row) {
                buffer.putFloat(value);
            }
        }
        buffer.flip();
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .addDims(rows.length).addDims(rows[0].length)
                .setRawData(ByteString.copyFrom(buffer))
                .build();
    }

    private static OnnxMl.TensorProto longVector(String name, long value) {
        return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(1).addInt64Data(value).build();
    }

    private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output + "_" + op)
                .addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.AttributeProto intAttribute(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
    }

    private TestModels() {
    }
}
