/**
 * What happens when processing a click fails: {@link io.streamrec.app.errors.RecordFailureHandler}, Kafka
 * Streams' processing exception handler for the app, and {@link io.streamrec.app.errors.FailedRecords}, the
 * instance's memory of clicks that failed. Invariant: a click is either fully processed (interaction, history,
 * list) or dead-lettered before it changed anything; a failure that is not the click's fault (a retriable one)
 * never dead-letters it.
 *
 * <p>Internal to the streams app: its settings name the handler to Kafka Streams, which instantiates it;
 * {@link io.streamrec.app.StreamsApp} owns the instance's {@code FailedRecords} and hands it to the handler and
 * to the topology's click intake.
 */
package io.streamrec.app.errors;
