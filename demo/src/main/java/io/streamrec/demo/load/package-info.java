/**
 * Click load and what a user of the system sees: {@link io.streamrec.demo.load.ClickReplayer} sends clicks from a
 * {@link io.streamrec.demo.load.ClickSource} at a fixed rate, and
 * {@link io.streamrec.demo.load.RecommendationWatcher} reads the recommendations topic as a downstream
 * {@code read_committed} consumer and measures click-to-list latency, throughput and swap gaps.
 *
 * <p>Invariants: a click's event time is when it was scheduled, not sent, so falling behind never hides delay
 * from the latency figures (no coordinated omission). The replayer and the watcher each own their Kafka client
 * and run on one thread until closed; a watcher's snapshot may be taken from any thread. Used by the demo run,
 * the end-to-end benchmark and the chaos suite.
 */
package io.streamrec.demo.load;
