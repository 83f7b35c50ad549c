package io.streamrec.demo.bench;

import io.streamrec.demo.load.ClickSource;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Interactions;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An endless click source for load tests: a random user sends the next item of their sequence in the corpus,
 * starting over when it ends. Users and items follow the corpus's distributions. Not thread-safe.
 */
public final class CyclingClickSource implements ClickSource {

    private final Corpus corpus;
    private final int[] position;
    private final SplittableRandom random;

    public CyclingClickSource(Corpus corpus, long seed) {
        this.corpus = corpus;
        this.position = new int[corpus.interactions().numUsers() + 1];
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Optional<Click> next() {
        Interactions interactions = corpus.interactions();
        int user;
        do {
            user = 1 + random.nextInt(interactions.numUsers());
        } while (interactions.length(user) == 0);
        int offset = position[user]++ % interactions.length(user);
        int item = interactions.itemAt(interactions.start(user) + offset);
        return Optional.of(new Click(corpus.users().id(user), corpus.items().id(item), "click"));
    }
}
