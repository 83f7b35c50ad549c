/**
 * streamrec seen from an application: {@link io.streamrec.examples.Quickstart} produces a click with the
 * project's Avro serde and reads the user's recommendation list with a {@code read_committed} consumer. It
 * depends on the {@code schemas} module (topic names, Avro classes, serde) and the Kafka clients only, as an
 * application would; the build keeps it that way.
 */
package io.streamrec.examples;
