package io.streamrec.trainer.export;

import org.tribuo.util.onnx.ONNXRef;

/**
 * The user side of the head ({@link NeuMfHead}): one vector {@code z = [z_g ; z_m]} per request, as [B, 1, w]
 * rows ready to meet [B, C, w] item rows. A table row for GMF, MLP, NeuMF and ANeuMF ({@link TableUserSide}), or
 * pooled from the history with the recent-item query ({@link RecentQueryUserSide}).
 *
 * <p>Each call may add nodes to the graph; the head calls each at most once, in a fixed order.
 */
interface UserSide {

    /** {@code [z_g | 1]}, [B, 1, Dg+1]. */
    ONNXRef<?> gmf();

    /** {@code z_m}, [B, 1, Dm]. */
    ONNXRef<?> mlp();

    /** {@code W[:, 0:Dm] z_m} for a row-major [outputs, 2Dm] weight, as [B, 1, outputs]. */
    ONNXRef<?> mlpTimes(String name, float[] weight, int outputs);

    /** The same as [outputs, B, 1]. */
    ONNXRef<?> mlpTimesColumns(String name, float[] weight, int outputs);
}
