package io.streamrec.demo.bench;

import io.streamrec.demo.load.ClickSource;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A click source that notes which users clicked, so state size can be told per user. Not thread-safe: one
 * replayer reads it, and {@link #count()} is read after that replayer's thread has ended.
 */
final class DistinctUsers implements ClickSource {

    private final ClickSource clicks;
    private final Set<String> users = new HashSet<>();

    DistinctUsers(ClickSource clicks) {
        this.clicks = clicks;
    }

    @Override
    public Optional<Click> next() {
        Optional<Click> next = clicks.next();
        next.ifPresent(click -> users.add(click.userId()));
        return next;
    }

    /** The distinct users among the clicks handed out so far. */
    long count() {
        return users.size();
    }
}
