/**
 * The streams app's Kafka Streams topology ({@link io.streamrec.app.topology.RecommenderTopology}): clicks are
 * decoded and validated, dead-lettered with their reason when refused, counted into the interactions topic and
 * answered with a ranked list by the {@link io.streamrec.app.topology.Recommender} (the serving model, or the
 * task's popularity as the fallback); the models topic feeds a global store whose processor hands verified
 * releases to the model registry.
 *
 * <p>Invariants: a click is either fully processed or dead-lettered before it changed anything, and a failure
 * that is not the record's fault (the schema registry unreachable) is retried, never dead-lettered; nothing on
 * the models topic stops the global thread. The topology is a pure function of its configuration and
 * collaborators, and wall-clock decisions use the processor context's clock, so {@code TopologyTestDriver}
 * tests control time. Processors and their state belong to one task (one stream thread); the collaborators
 * shared with the HTTP API ({@link io.streamrec.app.topology.Recommender},
 * {@link io.streamrec.app.topology.PopularityLists}) are thread-safe.
 *
 * <p>Used by {@link io.streamrec.app.StreamsApp} and, for interactive queries, by {@code io.streamrec.app.http};
 * no other module.
 */
package io.streamrec.app.topology;
