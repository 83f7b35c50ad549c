package io.streamrec.trainer.select;

import io.streamrec.trainer.data.Split;
import io.streamrec.trainer.parallel.WorkerPool;

/**
 * An entry of a {@link VariantSelection}: a recipe that fits a scorer on {@code validation.train()}, tuning and
 * stopping on {@code validation.heldOut()} only. It never sees the test items.
 */
public interface Candidate {

    /** The entry's name in reports, e.g. {@code history-aneumf}, {@code ease}. */
    String name();

    /** Whether it is a baseline. */
    boolean baseline();

    /** Fits, tunes and measures it on the validation split; {@code pool} is for evaluation and closed-form fits. */
    Fitted fit(Split validation, WorkerPool pool);
}
