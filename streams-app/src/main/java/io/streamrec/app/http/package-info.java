/**
 * The streams app's HTTP API: on-demand recommendations and history through Kafka Streams interactive queries
 * (routed to the instance that owns the user's partition), the serving model and its events, health probes and
 * Prometheus metrics. Built on the JDK's {@code com.sun.net.httpserver} server; see {@code streams-app/README.md}
 * for every endpoint.
 */
package io.streamrec.app.http;
