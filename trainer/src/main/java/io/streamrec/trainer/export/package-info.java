/**
 * Export of a trained model to an ONNX graph (opset 13) with the serving signature every variant shares
 * ({@code io.streamrec.schemas.model.ServingSignature}): {@link io.streamrec.trainer.export.OnnxExporter}
 * precomputes the item-only terms into tables the graph gathers, and returns an
 * {@link io.streamrec.trainer.export.ExportedModel}; {@link io.streamrec.trainer.export.CandidateScoring}
 * says whether the graph scores a request's candidates or the whole catalogue.
 *
 * <p>Invariants: the graph's scores are the trainer's own (up to float rounding) for every input, including
 * out-of-vocabulary indices, which the graph clamps itself so no input can make a gather fail. The exporter
 * is stateless and thread-safe but reads the model's parameters, so a model must not train while it is
 * exported.
 *
 * <p>Used by the trainer's release builder and benchmark, and by the streams app's scoring benchmark (a test
 * dependency) to make real graphs.
 */
package io.streamrec.trainer.export;
