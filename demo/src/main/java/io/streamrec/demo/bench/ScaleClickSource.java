package io.streamrec.demo.bench;

import io.streamrec.demo.load.ClickSource;
import io.streamrec.trainer.data.ScaleGenerator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An endless click source over a {@link ScaleGenerator}'s users, held by none: a uniformly drawn user sends the
 * next item of their generated sequence (computed when they click), starting over when it ends. Remembers only
 * the position of users who have clicked, so 10 million users cost nothing up front. Not thread-safe.
 */
public final class ScaleClickSource implements ClickSource {

    private final ScaleGenerator generator;
    private final SplittableRandom random;
    private final Map<Integer, Integer> positions = new HashMap<>();

    public ScaleClickSource(ScaleGenerator generator, long seed) {
        this.generator = generator;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Optional<Click> next() {
        int user = 1 + random.nextInt(generator.config().users());
        int[] sequence = generator.sequence(user);
        int position = positions.merge(user, 1, Integer::sum) - 1;
        return Optional.of(new Click("u" + user, "i" + sequence[position % sequence.length], "click"));
    }
}
