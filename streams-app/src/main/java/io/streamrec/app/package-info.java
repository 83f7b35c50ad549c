/**
 * The streams app itself: {@link io.streamrec.app.StreamsApp}, one running instance (ONNX Runtime, the model
 * registry, Kafka Streams over the recommender topology, the meters and the HTTP API), its command line
 * ({@link io.streamrec.app.StreamsAppCommand}), its configuration keys ({@link io.streamrec.app.StreamsAppConfig})
 * and the Kafka Streams properties made from them ({@link io.streamrec.app.StreamsAppSettings}).
 *
 * <p>Invariants: {@code StreamsApp} owns every handle it opens and closes them in the reverse of the order they
 * depend on each other (HTTP API, dead-letter sender, Kafka Streams, model registry, RocksDB memory, ONNX
 * Runtime), so no native resource closes under a running call. Kafka Streams joins the consumer group only
 * after the schema registry has answered, so an instance never takes partitions it could not serve.
 *
 * <p>The subpackages are the app's own; other modules use only this package's types and a few value types
 * ({@code model.ModelEvent}, {@code http.Route}): the demo runs instances in-process, and its tests check the
 * deployment files against the configuration keys. The trainer never depends on the streams app (the build
 * enforces this).
 */
package io.streamrec.app;
