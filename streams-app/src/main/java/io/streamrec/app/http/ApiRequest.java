package io.streamrec.app.http;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated GET request: its route, and for per-user routes the decoded user id, the list length and how
 * stale an answer may be. Immutable.
 *
 * @param route         the route
 * @param userId        the percent-decoded user id, for per-user routes; else null
 * @param k             the requested list length (the default when absent); only meaningful for recommendations
 * @param maxLagRecords the most changelog records a standby or restoring copy may trail by and still answer
 *                      ({@code max_lag}, else the default); {@value HttpSettings#ACTIVE_ONLY}: the active copy only
 */
public record ApiRequest(Route route, String userId, int k, long maxLagRecords) {

    /** The query parameter that bounds a stale answer. */
    public static final String MAX_LAG = "max_lag";

    public ApiRequest {
        Objects.requireNonNull(route, "route");
        if (maxLagRecords < HttpSettings.ACTIVE_ONLY) {
            throw new IllegalArgumentException("maxLagRecords must be >= " + HttpSettings.ACTIVE_ONLY);
        }
    }

    /** Whether a standby or restoring copy may answer when the active one cannot. */
    public boolean allowsStale() {
        return maxLagRecords >= 0;
    }

    /**
     * Validates a request that matched {@code match}: the user id must decode (percent-encoding of UTF-8, as
     * in a URI path; {@code +} stays a plus), must not be blank and must fit {@code maxIdBytes}; {@code k}, when
     * given, must be an integer in 1..{@value HttpSettings#MAX_K}; {@code max_lag}, when given, an integer
     * &gt;= {@value HttpSettings#ACTIVE_ONLY}.
     *
     * @param rawQuery      the raw query string, or null
     * @param defaultMaxLag the bound when the query gives no {@code max_lag}
     * @throws ApiException 400 with the reason when the request is invalid
     */
    public static ApiRequest parse(Route.Match match, String rawQuery, int defaultK, int maxIdBytes,
                                   long defaultMaxLag) throws ApiException {
        Route route = match.route();
        if (!route.perUser()) {
            // no parameters: whatever the query says is ignored
            return new ApiRequest(route, null, defaultK, defaultMaxLag);
        }
        Map<String, String> query = query(rawQuery);
        String userId = decodePathSegment(match.rawUserId());
        if (userId.isBlank()) {
            throw new ApiException(400, "user id is blank");
        }
        int bytes = userId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxIdBytes) {
            throw new ApiException(400, "user id is " + bytes + " bytes, longer than the " + maxIdBytes
                    + "-byte limit (validation.max.id.bytes)");
        }
        int k = defaultK;
        if (route == Route.RECOMMENDATIONS && query.containsKey("k")) {
            k = parseK(query.get("k"));
        }
        long maxLag = query.containsKey(MAX_LAG) ? parseMaxLag(query.get(MAX_LAG)) : defaultMaxLag;
        return new ApiRequest(route, userId, k, maxLag);
    }

    private static long parseMaxLag(String value) throws ApiException {
        long maxLag;
        try {
            maxLag = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            maxLag = Long.MIN_VALUE;
        }
        if (maxLag < HttpSettings.ACTIVE_ONLY) {
            throw new ApiException(400, MAX_LAG + " must be an integer >= -1 (records a standby or restoring copy"
                    + " may trail by; -1: the active copy only), got '" + ApiHandler.abbreviate(value) + "'");
        }
        return maxLag;
    }

    private static int parseK(String value) throws ApiException {
        int k;
        try {
            k = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "k must be an integer in 1.." + HttpSettings.MAX_K + ", got '" + value + "'");
        }
        if (k < 1 || k > HttpSettings.MAX_K) {
            throw new ApiException(400, "k must be in 1.." + HttpSettings.MAX_K + ", got " + k);
        }
        return k;
    }

    /** The query's parameters (form-decoded); the first occurrence of a repeated name wins. */
    static Map<String, String> query(String rawQuery) throws ApiException {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "malformed query string: " + e.getMessage());
            }
        }
        return parameters;
    }

    /**
     * Percent-decodes one path segment as UTF-8 (RFC 3986: {@code +} is a plain plus in a path). Malformed
     * escapes and byte sequences that are not UTF-8 are refused rather than replaced, so two different ids
     * never decode to the same string.
     */
    static String decodePathSegment(String raw) throws ApiException {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            int percent = raw.indexOf('%', i);
            int plainEnd = percent < 0 ? raw.length() : percent;
            bytes.writeBytes(raw.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            if (percent + 2 >= raw.length()) {
                throw new ApiException(400, "malformed percent-encoding in user id");
            }
            int high = Character.digit(raw.charAt(percent + 1), 16);
            int low = Character.digit(raw.charAt(percent + 2), 16);
            if (high < 0 || low < 0) {
                throw new ApiException(400, "malformed percent-encoding in user id");
            }
            bytes.write(high << 4 | low);
            i = percent + 3;
        }
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return decoded.toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "user id is not valid UTF-8 once percent-decoded");
        }
    }

    /** The user id, for per-user routes. */
    public Optional<String> user() {
        return Optional.ofNullable(userId);
    }
}
