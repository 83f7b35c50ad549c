package io.streamrec.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * The opset-13 operators the exporter needs that Tribuo's {@code ONNXOperators} enum lacks. Each constant
 * states the operator's arity and attributes at opset 13, so Tribuo's node builder checks the calls.
 * Immutable; public for the exporters outside this package.
 */
public enum ServingOps implements ONNXOperator {
    /** {@code max(0, x)}. */
    RELU("Relu", 1, 0),
    /** Numpy-style matrix product with batch broadcasting (Gemm takes only 2-D inputs). */
    MAT_MUL("MatMul", 2, 0),
    /** Reshape to the shape given as an int64 tensor; opset 13 has no {@code allowzero}. */
    RESHAPE("Reshape", 2, 0),
    /** The shape of a tensor as int64; opset 13 has no {@code start}/{@code end}. */
    SHAPE("Shape", 1, 0),
    /** Permutes axes. */
    TRANSPOSE("Transpose", 1, 0, new ONNXAttribute("perm", AttributeType.INTS, false)),
    /** Clamps to [min, max], both optional scalar inputs (int64 since opset 12). */
    CLIP("Clip", 1, 2),
    /** Logical and of two boolean tensors. */
    AND("And", 2, 0),
    /** Broadcast to a shape. */
    EXPAND("Expand", 2, 0),
    /** Picks elements along an axis by an index tensor of the output's shape. */
    GATHER_ELEMENTS("GatherElements", 2, 0, new ONNXAttribute("axis", AttributeType.INT, false)),
    /** {@code e^x}. */
    EXP("Exp", 1, 0),
    /** {@code 1 / x}. */
    RECIPROCAL("Reciprocal", 1, 0),
    /** Maximum over {@code axes} (an attribute at opset 13). */
    REDUCE_MAX("ReduceMax", 1, 0, new ONNXAttribute("axes", AttributeType.INTS, false),
            new ONNXAttribute("keepdims", AttributeType.INT, false)),
    /** Index of the (first) maximum along {@code axis}, int64. */
    ARG_MAX("ArgMax", 1, 0, new ONNXAttribute("axis", AttributeType.INT, false),
            new ONNXAttribute("keepdims", AttributeType.INT, false)),
    /** {@code data[starts:ends]} along {@code axes}, all int64 tensors; steps optional. */
    SLICE("Slice", 3, 2);

    /** The default ONNX domain's opset these semantics are from. */
    static final int OPSET = 13;

    private final String opName;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    ServingOps(String opName, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        Map<String, ONNXAttribute> byName = new java.util.HashMap<>();
        Set<String> required = new java.util.HashSet<>();
        for (ONNXAttribute attribute : attributes) {
            byName.put(attribute.getName(), attribute);
            if (attribute.isMandatory()) {
                required.add(attribute.getName());
            }
        }
        this.attributes = Map.copyOf(byName);
        this.mandatory = Set.copyOf(required);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return mandatory;
    }

    @Override
    public int getOpVersion() {
        return OPSET;
    }

    /** {@code null}: the default ONNX domain (Tribuo leaves the node's domain unset). */
    @Override
    public String getOpDomain() {
        return null;
    }
}
