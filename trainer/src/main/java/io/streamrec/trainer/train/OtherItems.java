package io.streamrec.trainer.train;

import io.streamrec.trainer.data.Interactions;
import java.util.Arrays;

/**
 * The history of a training positive under {@link HistoryContext#OTHERS}: up to H of the user's other items,
 * drawn uniformly without replacement (selection sampling, one pass over the row, no allocation) and put in random
 * slot order, left-padded with 0 like a served history. Randomness comes from the trainer's per-position SplitMix64
 * stream, so a seed reproduces the draw. Stateless.
 */
final class OtherItems {

    private OtherItems() {}

    /**
     * Writes the history of the positive at global {@code position} of {@code user}'s row into
     * {@code out[offset, offset + length)} from the random stream at {@code state}; returns the advanced state.
     */
    static long fill(Interactions train, int user, int position, int[] out, int offset, int length, long state) {
        int from = train.start(user);
        int others = train.end(user) - from - 1;
        int take = Math.min(others, length);
        int first = offset + length - take;
        Arrays.fill(out, offset, first, 0);
        long stream = state;
        int written = 0;
        for (int k = 0; k < others && written < take; k++) {
            stream += Trainer.GAMMA;
            if (Trainer.unit(Trainer.scramble(stream)) * (others - k) < take - written) {
                int p = from + k;
                out[first + written++] = train.itemAt(p < position ? p : p + 1);
            }
        }
        for (int i = take - 1; i > 0; i--) {
            stream += Trainer.GAMMA;
            int j = (int) (Trainer.unit(Trainer.scramble(stream)) * (i + 1));
            int swap = out[first + i];
            out[first + i] = out[first + j];
            out[first + j] = swap;
        }
        return stream;
    }
}
