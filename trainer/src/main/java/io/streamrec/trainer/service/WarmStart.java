package io.streamrec.trainer.service;

import io.streamrec.trainer.data.Vocabulary;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parameters of the model this trainer service published last, so the next refit can start from them
 * instead of from scratch: only when the serving release is still that model (same SHA-256; a republished or
 * foreign release is not) and the architecture is unchanged. Users and items the two vocabularies share keep
 * their learned rows; newcomers start fresh. Held in memory: the first refit after a restart trains from
 * scratch.
 *
 * <p>Thread-safe: one reference, replaced whole; the remembered model is a private copy.
 */
final class WarmStart {

    private record Checkpoint(NcfModel model, Vocabulary users, Vocabulary items, String sha256) { }

    private final AtomicReference<Checkpoint> last = new AtomicReference<>();

    /** Remembers a published model (copied: the caller may go on changing its own). */
    void remember(NcfModel model, Vocabulary users, Vocabulary items, String releaseSha256) {
        last.set(new Checkpoint(model.copy(), users, items, releaseSha256));
    }

    /**
     * A model for these vocabularies that starts from the remembered one, or empty when it may not: nothing
     * remembered, no serving release, a serving release (by graph SHA-256) other than the remembered one, or
     * another configuration.
     */
    Optional<NcfModel> modelFor(ModelConfig config, Optional<String> servingSha256, Vocabulary users,
                                Vocabulary items) {
        Checkpoint checkpoint = last.get();
        if (checkpoint == null || servingSha256.isEmpty() || !servingSha256.get().equals(checkpoint.sha256())
                || !checkpoint.model().config().equals(config)) {
            return Optional.empty();
        }
        return Optional.of(NcfModel.warmStarted(checkpoint.model(), users.size(), indexMap(users, checkpoint.users()),
                items.size(), indexMap(items, checkpoint.items())));
    }

    /** For each index of {@code now}, the index of the same id in {@code before} (0 when it is new). */
    private static int[] indexMap(Vocabulary now, Vocabulary before) {
        int[] map = new int[now.size() + 1];
        for (int index = 1; index <= now.size(); index++) {
            map[index] = before.indexOf(now.id(index));
        }
        return map;
    }
}
