/**
 * What happens when processing a click fails: {@link io.streamrec.app.errors.RecordFailureHandler}, Kafka
 * Streams' processing exception handler for the app, and {@link io.streamrec.app.errors.FailedRecords}, the
 * instance's memory of clicks that failed. Invariant: a click is either fully processed (interaction, history,
 * list) or dead-lettered before it changed anything; a failure that is not the click's fault (a retriable one)
 * never dead-letters it.
 */
package io.streamrec.app.errors;
