/**
 * What happens when processing a record fails, and what a refused record's dead letter says.
 *
 * <ul>
 *   <li>{@link io.streamrec.app.errors.RecordFailureHandler}, Kafka Streams' processing exception handler for
 *       the app, and {@link io.streamrec.app.errors.FailedRecords}, the instance's memory of clicks that failed.
 *       Invariant: a click is either fully processed (interaction, history, list) or dead-lettered before it
 *       changed anything; a failure that is not the click's fault (a retriable one) never dead-letters it.</li>
 *   <li>{@link io.streamrec.app.errors.DeadLetterHeaders}: the one dead-letter convention, Kafka Streams' own
 *       headers plus streamrec's reason, on every dead letter whatever refused the record;
 *       {@link io.streamrec.app.errors.RecordRefusedException} names a refusal where nothing threw.</li>
 *   <li>{@link io.streamrec.app.errors.DeserializationFailureHandler} and
 *       {@link io.streamrec.app.errors.ProductionFailureHandler}: Kafka Streams' built-in handlers, whose dead
 *       letters get the reason header too.</li>
 * </ul>
 *
 * <p>Internal to the streams app: its settings name the handlers to Kafka Streams, which instantiates them;
 * {@link io.streamrec.app.StreamsApp} owns the instance's {@code FailedRecords} and hands it to the handler and
 * to the topology's click intake.
 */
package io.streamrec.app.errors;
