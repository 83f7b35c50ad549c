/**
 * The streams app's HTTP API: on-demand recommendations and history through Kafka Streams interactive queries
 * (routed to the instance that owns the user's partition, or answered from a standby or restoring copy within a
 * lag bound while the owner's cannot answer), the application's instances and their partitions, the serving
 * model and its events, health probes and Prometheus metrics. Built on the JDK's {@code com.sun.net.httpserver}
 * server, on two listeners with threads of their own: the API, and a management listener for the probes and the
 * metrics ({@link ApiServer}). See
 * {@code docs/http-api.md} for every endpoint and the limits.
 *
 * <p>Started and closed by {@link io.streamrec.app.StreamsApp}; outside the streams app only {@link Route}, the
 * API's routes, is used (the demo's deployment tests check the probes against it).
 */
package io.streamrec.app.http;
