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
import java.util.concurrent.CancellationException;
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
 * <p>Version numbering restarts with a tombstone for the model's name on the models topic
 * ({@link #restartNumbering()}): the serving model keeps serving (and a release already waiting or loading
 * still loads), but its version no longer sets the floor, so the next release is taken whatever its version,
 * and newer-wins applies again from that one. This is what the trainer does too: it numbers from the highest
 * verified version after the name's last tombstone, and starts at 1 when compaction has removed everything
 * before it, so trainer and apps agree before and after compaction. The price: after a tombstone, an older
 * signed release replayed onto the topic is taken like a new one (a rollback by replay), so write tombstones
 * for a served name deliberately. A pin names a version number: after a restart it names the new release
 * with that number.
 *
 * <p>Thread-safe. Lifetime: close after the stream threads stopped scoring; closing releases the registry's
 * hold on the serving model (its session closes once no lease is open) and stops the loader thread. A load under
 * way is abandoned at its next step, but closing waits for a step inside ONNX Runtime to end, however long: the
 * JVM's shutdown frees ONNX Runtime's environment under any session still being built (see
 * {@code io.streamrec.schemas.process.GracefulStop}).
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    private static final int LOADER_WAIT_LOG_SECONDS = 10;

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
        /** The numbering it was offered in: it sets the version floor only while that numbering lasts. */
        final long numbering;
        private final AtomicInteger references = new AtomicInteger(1);

        Handle(LoadedModel model, Serving serving, long numbering) {
            this.model = model;
            this.serving = serving;
            this.numbering = numbering;
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

    // Guarded by 'this': the newest release waiting to load, and the version being loaded (-1 if none), each
    // with the numbering it was offered in; the numbering counts tombstones (restartNumbering).
    private ModelRelease pending;
    private long pendingNumbering;
    private long loadingVersion = -1;
    private long loadingNumbering;
    private long numbering;
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
            if (isTaken(version)) {
                return; // the same release again, e.g. replayed when the global store restores
            }
            if (settings.pinnedVersion().isPresent()) {
                if (version != settings.pinnedVersion().getAsLong()) {
                    record(ModelEvent.Kind.IGNORED, version, "pinned", "version " + version + " ignored: model.pinned.version="
                            + settings.pinnedVersion().getAsLong(), Duration.ZERO);
                    return;
                }
            } else if (version < versionFloor()) {
                record(ModelEvent.Kind.IGNORED, version, "not-newer", "version " + version
                        + " ignored: not newer than v" + versionFloor(), Duration.ZERO);
                return;
            }
            pending = release;
            pendingNumbering = numbering;
        }
        loaderThread.execute(this::loadPending);
    }

    /**
     * A tombstone for the model's name: version numbering restarts. The serving model keeps serving, a release
     * already waiting or loading still loads, and the next release offered is taken whatever its version.
     */
    public void restartNumbering() {
        synchronized (this) {
            if (closed) {
                return;
            }
            numbering++;
            long serving = servingVersion();
            record(ModelEvent.Kind.NUMBERING_RESTARTED, serving, "tombstone", "a tombstone for "
                    + settings.modelName() + " restarts version numbering: the next release is taken whatever its"
                    + " version" + (serving < 0 ? "" : "; v" + serving + " serves until then"), Duration.ZERO);
        }
    }

    /**
     * The checks of loading that need no graph to be fetched or built ({@link ModelLoader#verifyWithoutLoading}):
     * the signature, and the checksum of an inline graph.
     *
     * @throws ReleaseRejectedException with reason {@code signature-missing}, {@code unknown-key},
     *     {@code signature} or {@code checksum}
     */
    public void verifyWithoutLoading(ModelRelease release) throws ReleaseRejectedException {
        loader.verifyWithoutLoading(release);
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
            loadingNumbering = pendingNumbering;
        }
        Instant start = clock.instant();
        try {
            LoadedModel model = loader.load(release);
            Instant ready = clock.instant();
            Duration loadTime = Duration.between(start, ready);
            Handle previous;
            synchronized (this) {
                Handle fresh = new Handle(model, new Serving(model.info(), ready, loadTime), loadingNumbering);
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
        } catch (CancellationException e) {
            logAbandoned(release, e.getMessage());
        } catch (ReleaseRejectedException e) {
            rejectUnlessClosed(release, e.reason(), e.getMessage(), start);
        } catch (RuntimeException e) {
            rejectUnlessClosed(release, "internal", "loading failed unexpectedly: " + e, start);
        } finally {
            synchronized (this) {
                loadingVersion = -1;
            }
        }
    }

    // A load that fails after close() interrupted it (a fetch cut short) says nothing about the release.
    private synchronized void rejectUnlessClosed(ModelRelease release, String reason, String message, Instant start) {
        if (closed) {
            logAbandoned(release, "closing: " + message);
        } else {
            record(ModelEvent.Kind.REJECTED, release.getVersion(), reason, message,
                    Duration.between(start, clock.instant()));
        }
    }

    private static void logAbandoned(ModelRelease release, String note) {
        log.info("event=model_load_abandoned model={} version={} note=\"{}\"", release.getName(), release.getVersion(),
                note);
    }

    private long servingVersion() {
        Handle handle = current.get();
        return handle == null ? -1 : handle.serving.info().version();
    }

    // Called with 'this' held. The versions taken in the current numbering, -1 for none: serving, waiting,
    // loading.
    private long[] takenVersions() {
        Handle handle = current.get();
        return new long[] {
            handle == null || handle.numbering != numbering ? -1 : handle.serving.info().version(),
            pending == null || pendingNumbering != numbering ? -1 : pending.getVersion(),
            loadingVersion < 0 || loadingNumbering != numbering ? -1 : loadingVersion};
    }

    // Called with 'this' held.
    private boolean isTaken(long version) {
        for (long taken : takenVersions()) {
            if (taken >= 0 && taken == version) {
                return true;
            }
        }
        return false;
    }

    // Called with 'this' held: a release below this version is not newer; -1 when nothing is taken yet.
    private long versionFloor() {
        long floor = -1;
        for (long taken : takenVersions()) {
            floor = Math.max(floor, taken);
        }
        return floor;
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
        // The interrupt stops a load at its next step (ModelLoader checks between steps; a fetch stops at once).
        // ONNX Runtime's session build cannot be interrupted, and it must end before the JVM's shutdown frees
        // ONNX Runtime's environment, so this waits for it however long it takes; SIGKILL still ends the process.
        loaderThread.shutdownNow();
        try {
            int waitedSeconds = 0;
            while (!loaderThread.awaitTermination(LOADER_WAIT_LOG_SECONDS, TimeUnit.SECONDS)) {
                waitedSeconds += LOADER_WAIT_LOG_SECONDS;
                log.warn("event=model_loader_slow_shutdown waited_s={} note=\"a model load is in a step that cannot"
                        + " be interrupted (ONNX Runtime building its session); closing waits for it\"", waitedSeconds);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serving != null) {
            serving.release();
        }
    }
}
