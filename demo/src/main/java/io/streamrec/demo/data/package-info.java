/**
 * The demo's data: {@link io.streamrec.demo.data.DemoData} splits a corpus into the history that seeds the
 * interactions topic and the newer clicks replayed live, and {@link io.streamrec.demo.data.InteractionSeeder}
 * writes that history to the topic as the streams app would have, so the trainer learns the first model the
 * same way it learns every later one. Immutable values and one-shot writes; used by the demo run and the
 * refit benchmark.
 */
package io.streamrec.demo.data;
