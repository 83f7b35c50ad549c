/**
 * The model family and its arithmetic: {@link io.streamrec.trainer.model.NcfModel} is GMF, MLP, NeuMF, ANeuMF
 * and history-attentive ANeuMF as configurations ({@link io.streamrec.trainer.model.ModelConfig},
 * {@link io.streamrec.trainer.model.Variant}) of one forward and backward pass; the layers (dense, softmax gate,
 * target attention, ReLU, log loss) and the {@link io.streamrec.trainer.model.Kernels} they run on;
 * {@link io.streamrec.trainer.model.Parameters} and {@link io.streamrec.trainer.model.Workspace} hold the live
 * parameters and one pass's scratch memory. {@link io.streamrec.trainer.model.Scorer} is the scoring signature
 * every model and baseline shares.
 *
 * <p>Invariants: activations are feature-major rows and hot loops element-wise, so HotSpot vectorises them;
 * a pass allocates nothing beyond its workspace. Scoring only reads parameters, so concurrent scoring is safe
 * while nobody trains; training mutates the parameters and a workspace belongs to one thread.
 *
 * <p>Used by training, evaluation, export and releases in the trainer, by the demo and by the streams app's
 * scoring benchmark.
 */
package io.streamrec.trainer.model;
