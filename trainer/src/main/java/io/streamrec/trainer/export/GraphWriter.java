package io.streamrec.trainer.export;

import ai.onnx.proto.OnnxMl;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A thin layer over Tribuo's {@link ONNXContext} for graphs whose inputs are not float matrices: Tribuo's
 * placeholders are float {@code [batch, n]} only, so inputs and outputs are declared here with their real
 * element types and symbolic dimensions and swapped into the graph when it is finished.
 *
 * <p>Public for the exporters outside this package (the item-item baselines'); one writer builds one graph;
 * not thread-safe.
 */
public final class GraphWriter {

    /** ONNX IR version 7 is the one released with opset 13 (ONNX 1.8). */
    static final long IR_VERSION = 7;

    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    /** An input or output of the finished graph: name, element type and dimensions (Integer or String). */
    public record Port(String name, OnnxMl.TensorProto.DataType type, List<Object> dims) {
        /** Copies the dimensions. */
        public Port {
            dims = List.copyOf(dims);
        }

        OnnxMl.ValueInfoProto proto() {
            OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
            for (Object dim : dims) {
                OnnxMl.TensorShapeProto.Dimension.Builder d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
                if (dim instanceof Integer size) {
                    d.setDimValue(size);
                } else {
                    d.setDimParam((String) dim);
                }
                shape.addDim(d);
            }
            return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                    .setType(OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                            .setElemType(type.getNumber()).setShape(shape)))
                    .build();
        }
    }

    private final ONNXContext context = new ONNXContext();

    /** A writer of the graph {@code graphName}. */
    public GraphWriter(String graphName) {
        context.setName(graphName);
    }

    /** A reference to a graph input; its real type is declared in {@link #finish}. */
    public ONNXPlaceholder input(String name) {
        return context.floatInput(name, 1);
    }

    /** A float initializer of the given shape (row-major values). */
    public ONNXInitializer floats(String name, float[] values, int... shape) {
        long count = 1;
        for (int dim : shape) {
            count *= dim;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + count
                    + " values, got " + values.length);
        }
        return context.floatTensor(name, Arrays.stream(shape).boxed().toList(), buffer -> buffer.put(values));
    }

    /** A one-dimensional int64 initializer (axes, shapes). */
    public ONNXInitializer longs(String name, long... values) {
        return context.array(name, values);
    }

    /** An int64 scalar initializer. */
    public ONNXInitializer scalar(String name, long value) {
        return context.constant(name, value);
    }

    /** A float scalar initializer. */
    public ONNXInitializer scalar(String name, float value) {
        return context.constant(name, value);
    }

    /** A node without attributes. */
    public ONNXNode op(ONNXOperator operator, String output, ONNXRef<?>... inputs) {
        return op(operator, output, Map.of(), inputs);
    }

    /** Rows of {@code table} by {@code indices} (Tribuo requires Gather's axis to be spelled out). */
    public ONNXNode gather(String output, ONNXRef<?> table, ONNXRef<?> indices) {
        return op(ONNXOperators.GATHER, output, Map.of("axis", 0), table, indices);
    }

    /**
     * A node with attributes (Integer, Float, int[] ... as Tribuo's {@code ONNXAttribute} expects), written in
     * name order: Tribuo writes them in the map's iteration order, which for {@code Map.of} changes from one JVM
     * to the next, and the bytes of a graph must not.
     */
    public ONNXNode op(ONNXOperator operator, String output, Map<String, Object> attributes, ONNXRef<?>... inputs) {
        return context.operation(operator, List.of(inputs), output, new TreeMap<>(attributes));
    }

    /**
     * The serialized model: the graph with {@code result} wired to the single output, the declared inputs
     * and output, opset 13 and the metadata (written in key order, so equal models give equal bytes).
     */
    public byte[] finish(ONNXRef<?> result, List<Port> inputs, Port output, Map<String, String> metadata,
                  String docString, String producerVersion, long modelVersion) {
        return finish(List.of(new Output(result, output)), inputs, metadata, docString, producerVersion,
                modelVersion);
    }

    /** A graph output: the node that computes it and its declared port (float only). */
    public record Output(ONNXRef<?> result, Port port) {
    }

    /** As {@link #finish(ONNXRef, List, Port, Map, String, String, long)}, with several outputs in this order. */
    public byte[] finish(List<Output> outputs, List<Port> inputs, Map<String, String> metadata,
                         String docString, String producerVersion, long modelVersion) {
        for (Output output : outputs) {
            if (output.port().type().getNumber() != FLOAT) {
                throw new IllegalArgumentException("Tribuo wires float outputs only");
            }
            context.assignTo(output.result(), context.floatOutput(output.port().name(), 1));
        }
        OnnxMl.GraphProto.Builder graph = context.buildGraph().toBuilder().clearInput().clearOutput();
        inputs.forEach(port -> graph.addInput(port.proto()));
        outputs.forEach(output -> graph.addOutput(output.port().proto()));
        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(ServingOps.OPSET))
                .setProducerName("streamrec-trainer")
                .setProducerVersion(producerVersion)
                .setDomain("io.streamrec")
                .setModelVersion(modelVersion)
                .setDocString(docString)
                .setGraph(graph);
        new TreeMap<>(metadata).forEach((key, value) -> model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build().toByteArray();
    }
}
