package io.streamrec.app.http;

import io.streamrec.app.StreamsAppConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the HTTP API needs from the app's configuration. Immutable.
 *
 * @param host               interface to bind, for both listeners
 * @param port               port of the API; 0 picks a free one
 * @param managementPort     port of the management listener (probes, metrics); 0 picks a free one
 * @param advertisedHost     how other instances reach this one (with the bound port: {@code application.server})
 * @param threads            request threads of the API listener
 * @param queueSize          requests that may wait for one of them
 * @param queryTimeout       a request's deadline, counted from when it was queued: how long a user request
 *                           retries routing before it is answered 503
 * @param readyRequiresModel whether readiness waits for a model rather than accepting the popularity fallback
 * @param defaultK           list length when a request gives no {@code k}
 * @param maxIdBytes         longest accepted user id, in UTF-8 bytes
 * @param maxLagRecords      the default bound of a per-user answer from a standby or restoring copy, in
 *                           changelog records ({@code max_lag} overrides it); {@value #ACTIVE_ONLY}: the active
 *                           copy only
 */
public record HttpSettings(String host, int port, int managementPort, String advertisedHost, int threads,
                           int queueSize, Duration queryTimeout, boolean readyRequiresModel, int defaultK,
                           int maxIdBytes, long maxLagRecords) {

    /** The largest {@code k} a request may ask for. */
    public static final int MAX_K = 1000;
    /** The lag bound that allows no stale answer: only the active copy answers. */
    public static final long ACTIVE_ONLY = -1;

    private static final Set<String> WILDCARDS = Set.of("", "0.0.0.0", "::", "0:0:0:0:0:0:0:0", "[::]");

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        if (advertisedHost.isBlank()) {
            throw new IllegalArgumentException("advertisedHost must not be blank");
        }
        checkPort("port", port);
        checkPort("managementPort", managementPort);
        if (port != 0 && port == managementPort) {
            throw new IllegalArgumentException("the management port must differ from the API's: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (queueSize < 0) {
            throw new IllegalArgumentException("queueSize must be >= 0");
        }
        if (defaultK < 1 || defaultK > MAX_K) {
            throw new IllegalArgumentException("defaultK must be in 1.." + MAX_K);
        }
        if (maxIdBytes < 1) {
            throw new IllegalArgumentException("maxIdBytes must be >= 1");
        }
        if (maxLagRecords < ACTIVE_ONLY) {
            throw new IllegalArgumentException("maxLagRecords must be >= " + ACTIVE_ONLY);
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }

    /** The settings of an app configuration, with the advertised host resolved (see {@link #advertisedHost}). */
    public static HttpSettings from(StreamsAppConfig config) {
        return new HttpSettings(config.httpHost(), config.httpPort(), config.httpManagementPort(),
                advertisedHost(config.httpAdvertisedHost(), config.httpHost()), config.httpThreads(),
                config.httpQueueSize(), config.httpQueryTimeout(), config.httpReadyRequiresModel(),
                config.recommendationCount(), config.maxIdBytes(), config.httpQueryMaxLagRecords());
    }

    /**
     * The host other instances should use: the configured one; else the bind host when it is a specific address;
     * else (a wildcard bind) this machine's host name, which is unique per machine but not necessarily resolvable
     * by the other instances, hence the advice to configure it in multi-instance deployments.
     */
    static String advertisedHost(String configured, String bindHost) {
        if (!configured.isBlank()) {
            return configured.trim();
        }
        if (!WILDCARDS.contains(bindHost.trim())) {
            return bindHost.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "127.0.0.1"; // a machine without a resolvable name can only be reached locally anyway
        }
    }
}
