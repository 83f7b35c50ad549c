/**
 * The command-line client of a running streamrec: {@code streamrec produce} (one click, with the project's Avro
 * serde), {@code streamrec consume} (recommendation lists, read {@code read_committed}, optionally one user's)
 * and {@code streamrec backfill} (a CSV file of past interactions written to the {@code interactions} topic, the
 * trainer's source). They talk to any cluster and Confluent-compatible registry ({@link
 * io.streamrec.demo.client.ClientOptions}), by default the local stack of {@code ./streamrec demo} or devstack.
 *
 * <p>Each command is a picocli class that parses its options and does its work in {@code call()}, printing to
 * the command line's writers (so tests read what a user sees); {@link io.streamrec.demo.client.CsvInteractions}
 * holds the backfill's parsing and aggregation, free of Kafka.
 */
package io.streamrec.demo.client;
