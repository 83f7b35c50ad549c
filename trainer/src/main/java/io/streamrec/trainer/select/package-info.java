/**
 * Variant selection, {@code model.variant=auto}: candidates of the model family ({@link
 * io.streamrec.trainer.select.NeuralCandidate}) and tuned baselines ({@link
 * io.streamrec.trainer.select.BaselineCandidate}) fitted on one validation split, the best candidate selected
 * ({@link io.streamrec.trainer.select.VariantSelection}), and a baseline that beats it reported.
 *
 * <p>Invariants: every entry is fitted, tuned and early-stopped on the validation split cut from the training data
 * and never sees the test items; baselines are measured but never selected unless listed as candidates; the
 * selection is a pure function of the fitted figures (ties: the other metric, then the list order).
 */
package io.streamrec.trainer.select;
