package io.streamrec.demo.bench;

import io.streamrec.demo.load.ClickSource;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.ScaleConfig;
import io.streamrec.trainer.data.ScaleGenerator;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The catalogue an end-to-end benchmark serves: the corpus its model trains on, where its clicks come from, and
 * its size. Immutable.
 *
 * @param users    users who click
 * @param training the corpus the served model trains on (all clicking users, or a subset at scale)
 * @param clicks   a click source per seed
 */
public record BenchWorkload(String description, int users, int items, Corpus training,
                            LongFunction<ClickSource> clicks) {

    /** 6,040 users and 3,706 items: MovieLens-1M's size, from the project's small generator. */
    public static BenchWorkload movieLensSize(long seed) {
        Corpus corpus = SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(6040, 3706).withSeed(seed));
        return new BenchWorkload("MovieLens-1M size", 6040, 3706, corpus,
                clickSeed -> new CyclingClickSource(corpus, clickSeed));
    }

    /**
     * A {@link ScaleConfig} catalogue: every user of the config clicks ({@link ScaleClickSource}); the model trains
     * on the first {@code trainingUsers} of them, so the rest reach it as unknown users with a history.
     */
    public static BenchWorkload scale(ScaleConfig config, int trainingUsers) {
        ScaleGenerator clicking = new ScaleGenerator(config);
        Corpus training = new ScaleGenerator(config.withUsers(Math.min(trainingUsers, config.users()))).corpus();
        return new BenchWorkload(String.format(Locale.ROOT, "scale generator, model trained on %,d of them",
                training.users().size()), config.users(), config.items(), training,
                clickSeed -> new ScaleClickSource(clicking, clickSeed));
    }
}
