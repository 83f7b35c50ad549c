package io.streamrec.trainer.data;

/**
 * A training part and the targets held out from it.
 *
 * @param train   what the model may learn from
 * @param heldOut what it is measured on
 */
public record Split(Interactions train, HeldOut heldOut) {}
