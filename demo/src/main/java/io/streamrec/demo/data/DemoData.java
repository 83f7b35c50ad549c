package io.streamrec.demo.data;

import io.streamrec.demo.load.ClickSource;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Interactions;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Splits a corpus for the demo: the older part of every user's sequence is history that seeds the
 * interactions topic (and so the first model), the newer part is replayed as live clicks, users interleaved
 * the way concurrent sessions are. Immutable; {@link #replay()} makes a fresh source each call.
 *
 * @param corpus         the whole corpus, each user's interactions oldest first
 * @param replayFraction the share of each user's sequence (the newest) that is replayed
 * @param seed           seeds the interleaving of users
 */
public record DemoData(Corpus corpus, double replayFraction, long seed) {

    public DemoData {
        if (replayFraction < 0 || replayFraction > 1) {
            throw new IllegalArgumentException("replay fraction must be in [0, 1], got " + replayFraction);
        }
    }

    /** Number of interactions of the user that are history (the rest are replayed). */
    public int seedLength(int user) {
        int length = corpus.interactions().length(user);
        int replayed = (int) Math.floor(length * replayFraction);
        return length - replayed;
    }

    /** Total history interactions over all users. */
    public long seedSize() {
        long total = 0;
        for (int user = 1; user <= corpus.interactions().numUsers(); user++) {
            total += seedLength(user);
        }
        return total;
    }

    /** Total replayable clicks over all users. */
    public long replaySize() {
        return corpus.interactions().size() - seedSize();
    }

    /** Visits every history interaction: user index, item index, position in the user's sequence. */
    public void forEachSeed(SeedVisitor visitor) {
        Interactions interactions = corpus.interactions();
        for (int user = 1; user <= interactions.numUsers(); user++) {
            int start = interactions.start(user);
            int seedLength = seedLength(user);
            for (int offset = 0; offset < seedLength; offset++) {
                visitor.visit(user, interactions.itemAt(start + offset), offset);
            }
        }
    }

    @FunctionalInterface
    public interface SeedVisitor {
        void visit(int user, int item, int position);
    }

    /**
     * The replayed clicks: at each step a random user (weighted by how many clicks they have left) sends their
     * next click, so every user's clicks keep their order while users interleave. Not thread-safe.
     */
    public ClickSource replay() {
        Interactions interactions = corpus.interactions();
        int users = interactions.numUsers();
        int[] next = new int[users + 1];
        int[] end = new int[users + 1];
        // Users with clicks left, as a dense array we pick from and swap-remove.
        int[] active = new int[users];
        int activeCount = 0;
        for (int user = 1; user <= users; user++) {
            next[user] = interactions.start(user) + seedLength(user);
            end[user] = interactions.end(user);
            if (next[user] < end[user]) {
                active[activeCount++] = user;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] live = {activeCount};
        String[] types = {"view", "click", "click", "click", "add_to_cart", "purchase"};
        return () -> {
            if (live[0] == 0) {
                return Optional.empty();
            }
            // Uniform over active users keeps long sequences from dominating a short demo.
            int slot = random.nextInt(live[0]);
            int user = active[slot];
            int position = next[user]++;
            if (next[user] == end[user]) {
                active[slot] = active[--live[0]];
            }
            return Optional.of(new ClickSource.Click(corpus.users().id(user),
                    corpus.items().id(interactions.itemAt(position)), types[random.nextInt(types.length)]));
        };
    }
}
