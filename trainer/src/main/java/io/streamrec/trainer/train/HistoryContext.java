package io.streamrec.trainer.train;

import io.streamrec.trainer.data.OrderSignal;

/** Which of the user's items a training positive of a history model sees as its history. */
public enum HistoryContext {
    /**
     * The last H items before the positive in the user's time order, exactly what serving shows the model: for
     * data whose order carries signal (the next item follows from the recent ones).
     */
    PRECEDING,
    /**
     * H items drawn at random from the user's other items, anew each epoch and in random slot order: for data
     * whose order is noise. There the items before a positive are only a smaller random sample of the same set,
     * fixed for every epoch, which the attention memorises (on Last.fm it fell 0.1 HR@10 behind NeuMF); drawing
     * from all other items shows the model what it gets at serving, a full history of items unrelated in order to
     * the next one, and a new sample each epoch keeps it from memorising pairs.
     */
    OTHERS,
    /** {@link #PRECEDING} when the training data's {@link OrderSignal} says the order carries signal, else {@link #OTHERS}. */
    AUTO;

    /** The configuration name, e.g. {@code others}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@link #label()} or the enum name. */
    public static HistoryContext parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** This context with {@link #AUTO} decided by {@code signal}. */
    public HistoryContext resolve(OrderSignal signal) {
        return this != AUTO ? this : signal.ordered() ? PRECEDING : OTHERS;
    }
}
