package io.streamrec.trainer.model;

/**
 * The serving signature shared by every model variant and baseline: given users, their recent
 * histories and candidate items, produce raw scores (logits; higher is better).
 *
 * <ul>
 *   <li>{@code users[b]}: model user index, 0 = unknown user;</li>
 *   <li>{@code histories[b]}: exactly {@link #historyLength()} item indices, most recent LAST,
 *       left-padded with 0; may be {@code null} when {@link #historyLength()} is 0;</li>
 *   <li>{@code candidates[b]}: item indices to score (any count per row);</li>
 *   <li>{@code out[b][c]}: receives the score of {@code candidates[b][c]}.</li>
 * </ul>
 * Implementations are safe to call from several threads at once as long as nobody trains them at
 * the same time.
 */
public interface Scorer {

    /** The history length H the scorer reads (0 if it ignores histories). */
    int historyLength();

    /** Scores {@code candidates} for each row; see the interface documentation for the layout. */
    void score(int[] users, int[][] histories, int[][] candidates, float[][] out);

    /**
     * This scorer asked for every row as the unknown user 0, so only the histories personalise the scores:
     * how a user the model never trained on is served.
     */
    default Scorer asUnknownUser() {
        Scorer scorer = this;
        return new Scorer() {
            @Override
            public int historyLength() {
                return scorer.historyLength();
            }

            @Override
            public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
                scorer.score(new int[users.length], histories, candidates, out);
            }
        };
    }
}
