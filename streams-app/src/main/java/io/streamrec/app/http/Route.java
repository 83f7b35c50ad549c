package io.streamrec.app.http;

import java.util.Optional;

/**
 * The API's routes. The template is also the {@code route} tag of the HTTP metrics, so their cardinality stays
 * fixed whatever paths clients send.
 */
public enum Route {
    RECOMMENDATIONS("/users/{id}/recommendations", true, false),
    HISTORY("/users/{id}/history", true, false),
    MODELS("/models", false, false),
    MODEL_EVENTS("/models/events", false, false),
    INSTANCES("/instances", false, false),
    LIVE("/health/live", false, true),
    READY("/health/ready", false, true),
    METRICS("/metrics", false, true);

    /** The {@code uri} tag of requests that match no route (Micrometer's convention for unknown paths). */
    public static final String UNMATCHED = "UNKNOWN";

    private final String template;
    private final boolean perUser;
    private final boolean management;

    Route(String template, boolean perUser, boolean management) {
        this.template = template;
        this.perUser = perUser;
        this.management = management;
    }

    public String template() {
        return template;
    }

    /** True for routes about one user, answered by the instance that owns the user's partition. */
    public boolean perUser() {
        return perUser;
    }

    /**
     * True for the probes and the metrics, which the management listener serves too (on threads that API
     * traffic cannot take); the API listener serves every route.
     */
    public boolean management() {
        return management;
    }

    /** A route and, for per-user routes, the raw (still percent-encoded) id segment of the path. */
    public record Match(Route route, String rawUserId) { }

    /**
     * The route a raw request path matches, if any. Matching is exact (no trailing slash, no empty segments
     * except an empty user id, which the parser then refuses as blank).
     */
    public static Optional<Match> match(String rawPath) {
        if (rawPath == null) {
            return Optional.empty();
        }
        String[] segments = rawPath.split("/", -1);
        if (segments.length < 2 || !segments[0].isEmpty()) {
            return Optional.empty();
        }
        if (segments.length == 4 && segments[1].equals("users")) {
            if (segments[3].equals("recommendations")) {
                return Optional.of(new Match(RECOMMENDATIONS, segments[2]));
            }
            if (segments[3].equals("history")) {
                return Optional.of(new Match(HISTORY, segments[2]));
            }
            return Optional.empty();
        }
        for (Route route : values()) {
            if (!route.perUser && route.template.equals(rawPath)) {
                return Optional.of(new Match(route, null));
            }
        }
        return Optional.empty();
    }
}
