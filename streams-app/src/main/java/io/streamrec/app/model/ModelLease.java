package io.streamrec.app.model;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to use one {@link LoadedModel} until {@link #close()}: while any lease is open the model's session
 * stays open, even if a newer model has replaced it. Use in try-with-resources around one scoring call.
 * Not shared between threads; closing twice is harmless.
 */
public final class ModelLease implements AutoCloseable {

    private final ModelRegistry.Handle handle;
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelLease(ModelRegistry.Handle handle) {
        this.handle = handle;
    }

    public LoadedModel model() {
        if (closed.get()) {
            throw new IllegalStateException("lease already closed");
        }
        return handle.model;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            handle.release();
        }
    }
}
