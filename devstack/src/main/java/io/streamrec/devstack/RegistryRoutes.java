package io.streamrec.devstack;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps request paths of Confluent's schema registry API to endpoints. Pure functions; thread-safe.
 */
final class RegistryRoutes {

    /** Every endpoint served, with the HTTP methods it answers. */
    enum Endpoint {
        ROOT("GET"),
        SCHEMA_TYPES("GET"),
        SCHEMA_BY_ID("GET"),
        SCHEMA_BY_ID_RAW("GET"),
        SCHEMA_BY_ID_SUBJECTS("GET"),
        SCHEMA_BY_ID_VERSIONS("GET"),
        SUBJECTS("GET"),
        SUBJECT("POST", "DELETE"),
        SUBJECT_VERSIONS("GET", "POST"),
        SUBJECT_VERSION("GET", "DELETE"),
        SUBJECT_VERSION_SCHEMA("GET"),
        SUBJECT_VERSION_REFERENCED_BY("GET"),
        COMPATIBILITY_VERSION("POST"),
        COMPATIBILITY_ALL_VERSIONS("POST"),
        CONFIG("GET", "PUT", "DELETE"),
        SUBJECT_CONFIG("GET", "PUT", "DELETE"),
        MODE("GET");

        private final Set<String> methods;

        Endpoint(String... methods) {
            this.methods = Set.of(methods);
        }

        boolean allows(String method) {
            return methods.contains(method);
        }
    }

    /** A matched endpoint and its decoded path parameters, in path order. */
    record Route(Endpoint endpoint, List<String> params) {
        Route {
            params = List.copyOf(params);
        }

        String param(int index) {
            return params.get(index);
        }
    }

    private RegistryRoutes() {
    }

    /**
     * The endpoint of a raw (still percent-encoded) path.
     *
     * @throws RegistryException 404 for a path no endpoint serves, 400 for a bad percent escape
     */
    static Route route(String rawPath) {
        List<String> s = segments(rawPath);
        int n = s.size();
        if (n == 0) {
            return new Route(Endpoint.ROOT, List.of());
        }
        switch (s.get(0)) {
            case "schemas":
                if (n == 2 && s.get(1).equals("types")) {
                    return new Route(Endpoint.SCHEMA_TYPES, List.of());
                }
                if (n >= 3 && s.get(1).equals("ids")) {
                    if (n == 3) {
                        return new Route(Endpoint.SCHEMA_BY_ID, List.of(s.get(2)));
                    }
                    if (n == 4) {
                        switch (s.get(3)) {
                            case "schema":
                                return new Route(Endpoint.SCHEMA_BY_ID_RAW, List.of(s.get(2)));
                            case "subjects":
                                return new Route(Endpoint.SCHEMA_BY_ID_SUBJECTS, List.of(s.get(2)));
                            case "versions":
                                return new Route(Endpoint.SCHEMA_BY_ID_VERSIONS, List.of(s.get(2)));
                            default:
                                break;
                        }
                    }
                }
                break;
            case "subjects":
                if (n == 1) {
                    return new Route(Endpoint.SUBJECTS, List.of());
                }
                if (n == 2) {
                    return new Route(Endpoint.SUBJECT, List.of(s.get(1)));
                }
                if (s.get(2).equals("versions")) {
                    if (n == 3) {
                        return new Route(Endpoint.SUBJECT_VERSIONS, List.of(s.get(1)));
                    }
                    if (n == 4) {
                        return new Route(Endpoint.SUBJECT_VERSION, List.of(s.get(1), s.get(3)));
                    }
                    if (n == 5 && s.get(4).equals("schema")) {
                        return new Route(Endpoint.SUBJECT_VERSION_SCHEMA, List.of(s.get(1), s.get(3)));
                    }
                    if (n == 5 && s.get(4).equals("referencedby")) {
                        return new Route(Endpoint.SUBJECT_VERSION_REFERENCED_BY, List.of(s.get(1), s.get(3)));
                    }
                }
                break;
            case "compatibility":
                if (n >= 4 && s.get(1).equals("subjects") && s.get(3).equals("versions")) {
                    if (n == 4) {
                        return new Route(Endpoint.COMPATIBILITY_ALL_VERSIONS, List.of(s.get(2)));
                    }
                    if (n == 5) {
                        return new Route(Endpoint.COMPATIBILITY_VERSION, List.of(s.get(2), s.get(4)));
                    }
                }
                break;
            case "config":
                if (n == 1) {
                    return new Route(Endpoint.CONFIG, List.of());
                }
                if (n == 2) {
                    return new Route(Endpoint.SUBJECT_CONFIG, List.of(s.get(1)));
                }
                break;
            case "mode":
                if (n == 1) {
                    return new Route(Endpoint.MODE, List.of());
                }
                break;
            default:
                break;
        }
        throw RegistryException.notFound();
    }

    /**
     * The decoded segments of a raw path. The path is split before decoding, so a subject containing an encoded
     * slash ({@code %2F}) stays one segment; a trailing slash is ignored; a plus sign is literal in a path.
     */
    static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/", -1)) {
            if (!raw.isEmpty()) {
                segments.add(decode(raw.replace("+", "%2B")));
            }
        }
        return segments;
    }

    /** The parameters of a raw query string; a parameter without a value maps to the empty string. */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RegistryException.badRequest("Bad percent-encoding in '" + text + "': " + e.getMessage());
        }
    }
}
