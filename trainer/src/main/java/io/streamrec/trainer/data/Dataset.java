package io.streamrec.trainer.data;

/**
 * A training set and its held-out test targets, with vocabularies.
 *
 * <p>The test targets are for final measurement only; tuning and early stopping use a validation
 * split cut from {@link #train()} (see {@link Splits#leaveLastOut}).
 *
 * @param name  human-readable name used in reports
 * @param users user vocabulary (index 1..U; 0 = unknown user)
 * @param items item vocabulary (index 1..N; 0 = padding / unknown item)
 * @param train training interactions, time-ordered per user
 * @param test  held-out test targets with their sampled negatives
 */
public record Dataset(String name, Vocabulary users, Vocabulary items, Interactions train, HeldOut test) {

    /** Splits a corpus by holding out each user's latest interaction with {@code negatives} sampled negatives. */
    public static Dataset leaveLastOut(Corpus corpus, int negatives, long seed) {
        Split split = Splits.leaveLastOut(corpus.interactions(), negatives, seed);
        return new Dataset(corpus.name(), corpus.users(), corpus.items(), split.train(), split.heldOut());
    }
}
