package io.streamrec.app.model;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the model that serves and swaps in newer ones without a pause. Releases arrive through
 * {@link #offer(ModelRelease)} (from the global store processor); the newest acceptable one is loaded on the
 * registry's own loader thread (verify, build, warm up, probe: {@link ModelLoader}) and then replaces the
 * serving model with one atomic reference swap. Scoring holds a {@link ModelLease}; a replaced model's session
 * is closed when its last lease is released, never under a running call.
 *
 * <p>A newer version always wins, unless a version is pinned, in which case only that version loads.
 * Rollback is publishing an older model again with a new version, or pinning. A rejected release never
 * replaces the serving model.
 *
 * <p>Thread-safe. Lifetime: close after the stream threads stopped scoring; closing releases the registry's
 * hold on the serving model (its session closes once no lease is open) and stops the loader thread.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

    /** Which releases the registry accepts. Immutable. */
    public record Settings(String modelName, OptionalLong pinnedVersion, int maxEvents) {
        public Settings {
            Objects.requireNonNull(modelName, "modelName");
            Objects.requireNonNull(pinnedVersion, "pinnedVersion");
            if (maxEvents < 1) {
                throw new IllegalArgumentException("maxEvents must be >= 1");
            }
        }
    }

    /** The model that serves, with when and how fast it was loaded. Immutable. */
    public record Serving(ModelInfo info, Instant loadedAt, Duration loadTime) { }

    /** One loaded model and its lease count; the registry's own reference counts as one. */
    static final class Handle {
        final LoadedModel model;
        final Serving serving;
        private final AtomicInteger references = new AtomicInteger(1);

        Handle(LoadedModel model, Serving serving) {
            this.model = model;
            this.serving = serving;
        }

        boolean retain() {
            while (true) {
                int current = references.get();
                if (current == 0) {
                    return false; // already closed: the caller re-reads the serving handle
                }
                if (references.compareAndSet(current, current + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (references.decrementAndGet() == 0) {
                model.close();
                log.info("event=model_closed model={} version={}", serving.info().name(), serving.info().version());
            }
        }
    }

    private final Settings settings;
    private final ModelLoader loader;
    private final ExecutorService loaderThread;
    private final Clock clock;
    private final Consumer<ModelEvent> listener;
    private final AtomicReference<Handle> current = new AtomicReference<>();
    private final Deque<ModelEvent> events = new ArrayDeque<>();

    // Guarded by 'this': the newest release waiting to load, and the version being loaded (-1 if none).
    private ModelRelease pending;
    private long loadingVersion = -1;
    private boolean closed;

    /**
     * @param listener told of every event on the thread that caused it (the loader thread, or the caller of
     *                 {@link #offer}); for metrics and logs, so it must be quick
     */
    public ModelRegistry(Settings settings, ModelLoader loader, Clock clock, Consumer<ModelEvent> listener) {
        this.settings = settings;
        this.loader = loader;
        this.clock = clock;
        this.listener = listener;
        this.loaderThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "model-loader-" + settings.modelName());
            thread.setDaemon(true);
            return thread;
        });
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Considers a release. Returns at once; loading happens on the loader thread. Releases of other model
     * names are not for this registry and are skipped silently.
     */
    public void offer(ModelRelease release) {
        if (!settings.modelName().equals(release.getName())) {
            return;
        }
        long version = release.getVersion();
        synchronized (this) {
            if (closed) {
                return;
            }
            long serving = servingVersion();
            long waiting = pending == null ? -1 : pending.getVersion();
            if (version == serving || version == waiting || version == loadingVersion) {
                return; // the same release again, e.g. replayed when the global store restores
            }
            if (settings.pinnedVersion().isPresent()) {
                if (version != settings.pinnedVersion().getAsLong()) {
                    record(ModelEvent.Kind.IGNORED, version, "pinned", "version " + version + " ignored: model.pinned.version="
                            + settings.pinnedVersion().getAsLong(), Duration.ZERO);
                    return;
                }
            } else if (version < Math.max(serving, Math.max(waiting, loadingVersion))) {
                record(ModelEvent.Kind.IGNORED, version, "not-newer", "version " + version
                        + " ignored: not newer than v" + Math.max(serving, Math.max(waiting, loadingVersion)),
                        Duration.ZERO);
                return;
            }
            pending = release;
        }
        loaderThread.execute(this::loadPending);
    }

    /** Leases the serving model, if any. Close the lease right after the scoring call. */
    public Optional<ModelLease> acquire() {
        while (true) {
            Handle handle = current.get();
            if (handle == null) {
                return Optional.empty();
            }
            if (handle.retain()) {
                return Optional.of(new ModelLease(handle));
            }
        }
    }

    /** The serving model's description, if any. */
    public Optional<Serving> serving() {
        Handle handle = current.get();
        return handle == null ? Optional.empty() : Optional.of(handle.serving);
    }

    /** The most recent events, oldest first (at most {@code maxEvents}). */
    public synchronized List<ModelEvent> events() {
        return new ArrayList<>(events);
    }

    /** Blocks until every offered release has been loaded or rejected; for tests and orderly start-up. */
    public void awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (this) {
                if (pending == null && loadingVersion < 0) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("model loading still busy after " + timeout);
            }
            Thread.sleep(5);
        }
    }

    private void loadPending() {
        ModelRelease release;
        synchronized (this) {
            release = pending;
            pending = null;
            if (release == null || closed) {
                return;
            }
            loadingVersion = release.getVersion();
        }
        Instant start = clock.instant();
        try {
            LoadedModel model = loader.load(release);
            Instant ready = clock.instant();
            Duration loadTime = Duration.between(start, ready);
            Handle fresh = new Handle(model, new Serving(model.info(), ready, loadTime));
            Handle previous;
            synchronized (this) {
                if (closed) {
                    fresh.release();
                    return;
                }
                previous = current.getAndSet(fresh);
                record(ModelEvent.Kind.LOADED, release.getVersion(), "swapped", "now serving " + model.info()
                        + (previous == null ? "" : ", replacing v" + previous.serving.info().version()), loadTime);
            }
            if (previous != null) {
                previous.release();
            }
        } catch (ReleaseRejectedException e) {
            synchronized (this) {
                record(ModelEvent.Kind.REJECTED, release.getVersion(), e.reason(), e.getMessage(),
                        Duration.between(start, clock.instant()));
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                record(ModelEvent.Kind.REJECTED, release.getVersion(), "internal", "loading failed unexpectedly: " + e,
                        Duration.between(start, clock.instant()));
            }
        } finally {
            synchronized (this) {
                loadingVersion = -1;
            }
        }
    }

    private long servingVersion() {
        Handle handle = current.get();
        return handle == null ? -1 : handle.serving.info().version();
    }

    // Called with 'this' held.
    private void record(ModelEvent.Kind kind, long version, String reason, String message, Duration loadTime) {
        ModelEvent event = new ModelEvent(clock.instant(), kind, settings.modelName(), version, reason, message,
                loadTime);
        events.addLast(event);
        while (events.size() > settings.maxEvents()) {
            events.removeFirst();
        }
        if (kind == ModelEvent.Kind.REJECTED) {
            log.warn("event=model_rejected model={} version={} reason={} message=\"{}\"", event.model(), version, reason,
                    message);
        } else {
            log.info("event=model_{} model={} version={} reason={} load_ms={} message=\"{}\"",
                    kind.name().toLowerCase(java.util.Locale.ROOT), event.model(), version, reason,
                    loadTime.toMillis(), message);
        }
        listener.accept(event);
    }

    @Override
    public void close() {
        Handle serving;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending = null;
            serving = current.getAndSet(null);
        }
        loaderThread.shutdown();
        try {
            if (!loaderThread.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("event=model_loader_slow_shutdown note=\"a load is still running after 30 s\"");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serving != null) {
            serving.release();
        }
    }
}
