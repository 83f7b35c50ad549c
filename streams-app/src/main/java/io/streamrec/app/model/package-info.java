/**
 * The serving model: releases from the models topic become ONNX Runtime sessions and replace the serving one
 * without a pause. {@link io.streamrec.app.model.ModelLoader} verifies a release (signature, checksum,
 * vocabularies, graph signature) and warms and probes it; {@link io.streamrec.app.model.ModelRegistry} loads
 * the newest acceptable release on its own thread and swaps it in; scoring goes through a
 * {@link io.streamrec.app.model.ModelLease} on a {@link io.streamrec.app.model.LoadedModel}.
 * {@link io.streamrec.app.model.OnnxRuntime} is the process's one ONNX Runtime environment,
 * {@link io.streamrec.app.model.ArtifactFetcher} fetches graphs a release names by URI, with a deadline and a
 * byte cap.
 *
 * <p>Invariants: a rejected release never replaces the serving model and leaves no session behind; a model's
 * session closes only after its last lease is released, never under a running call (that would crash the JVM);
 * the environment closes last. The registry, loader, fetcher and loaded models are thread-safe; a lease
 * belongs to one thread and one scoring call (try-with-resources).
 *
 * <p>Used by the rest of the streams app; other modules only read {@link io.streamrec.app.model.ModelEvent}s.
 */
package io.streamrec.app.model;
