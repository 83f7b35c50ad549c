/**
 * The streamrec local stack: a real single-node KRaft Kafka broker ({@link io.streamrec.devstack.LocalKafkaBroker})
 * and a Confluent-compatible schema registry that keeps its state in Kafka
 * ({@link io.streamrec.devstack.SchemaRegistryServer}), both in this JVM on 127.0.0.1, put together with the
 * topic catalog's topics by {@link io.streamrec.devstack.LocalStack}.
 *
 * <p>Integration tests get a stack shared by the whole test run from
 * {@link io.streamrec.devstack.LocalStackExtension}; people get one from the {@code devstack} command line
 * ({@link io.streamrec.devstack.DevStackCli}). Startup problems a user can fix (a busy port, an unusable
 * directory) are {@link io.streamrec.devstack.DevStackException}s whose message says what to fix.
 */
package io.streamrec.devstack;
