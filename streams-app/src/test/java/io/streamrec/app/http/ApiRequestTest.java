package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiRequestTest {

    private static final int DEFAULT_K = 10;
    private static final int MAX_ID_BYTES = 8;
    private static final long DEFAULT_MAX_LAG = 10_000;

    private static ApiRequest parse(String path, String query) throws ApiException {
        return ApiRequest.parse(Route.match(path).orElseThrow(), query, DEFAULT_K, MAX_ID_BYTES,
                DEFAULT_MAX_LAG);
    }

    private static void assertBadRequest(String path, String query, String messagePart) {
        assertThatThrownBy(() -> parse(path, query)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void recommendationsTakeTheDefaultKOrAValidOne() throws ApiException {
        assertThat(parse("/users/u-1/recommendations", null)).isEqualTo(new ApiRequest(Route.RECOMMENDATIONS,
                "u-1", DEFAULT_K, DEFAULT_MAX_LAG));
        assertThat(parse("/users/u-1/recommendations", "k=1").k()).isEqualTo(1);
        assertThat(parse("/users/u-1/recommendations", "k=1000").k()).isEqualTo(1000);
        assertThat(parse("/users/u-1/recommendations", "other=x&k=7").k()).isEqualTo(7);
        assertThat(parse("/users/u-1/recommendations", "k=3&k=900").k()).as("the first k wins").isEqualTo(3);
    }

    @Test
    void aBadKIsRefused() {
        assertBadRequest("/users/u-1/recommendations", "k=0", "k must be in 1..1000, got 0");
        assertBadRequest("/users/u-1/recommendations", "k=1001", "got 1001");
        assertBadRequest("/users/u-1/recommendations", "k=-5", "got -5");
        assertBadRequest("/users/u-1/recommendations", "k=ten", "k must be an integer");
        assertBadRequest("/users/u-1/recommendations", "k=", "k must be an integer");
        assertBadRequest("/users/u-1/recommendations", "k=99999999999", "k must be an integer");
        assertBadRequest("/users/u-1/recommendations", "k=%zz", "malformed query string");
    }

    @Test
    void kMeansNothingToTheHistory() throws ApiException {
        assertThat(parse("/users/u-1/history", "k=0")).isEqualTo(new ApiRequest(Route.HISTORY, "u-1", DEFAULT_K,
                DEFAULT_MAX_LAG));
    }

    @Test
    void maxLagBoundsStaleAnswersAndMinusOneAllowsNone() throws ApiException {
        assertThat(parse("/users/u-1/history", null).maxLagRecords()).isEqualTo(DEFAULT_MAX_LAG);
        assertThat(parse("/users/u-1/history", null).allowsStale()).isTrue();
        assertThat(parse("/users/u-1/history", "max_lag=0").maxLagRecords()).isZero();
        assertThat(parse("/users/u-1/recommendations", "k=3&max_lag=250").maxLagRecords()).isEqualTo(250);
        ApiRequest activeOnly = parse("/users/u-1/history", "max_lag=-1");
        assertThat(activeOnly.maxLagRecords()).isEqualTo(HttpSettings.ACTIVE_ONLY);
        assertThat(activeOnly.allowsStale()).isFalse();
        assertBadRequest("/users/u-1/history", "max_lag=-2", "max_lag must be an integer >= -1");
        assertBadRequest("/users/u-1/history", "max_lag=lots", "got 'lots'");
        assertBadRequest("/users/u-1/history", "max_lag=", "max_lag must be");
    }

    @Test
    void userIdsArePercentDecodedAsUtf8AndAPlusStaysAPlus() throws ApiException {
        assertThat(parse("/users/a%2Fb/history", null).userId()).isEqualTo("a/b");
        assertThat(parse("/users/%C3%A9t%C3%A9/history", null).userId()).isEqualTo("été");
        assertThat(parse("/users/a+b/history", null).userId()).isEqualTo("a+b");
        assertThat(parse("/users/a%20b/history", null).userId()).isEqualTo("a b");
    }

    @Test
    void malformedEncodingIsRefused() {
        assertBadRequest("/users/a%2/history", null, "malformed percent-encoding");
        assertBadRequest("/users/a%/history", null, "malformed percent-encoding");
        assertBadRequest("/users/%zzab/history", null, "malformed percent-encoding");
        assertBadRequest("/users/%C3/history", null, "not valid UTF-8");
        assertBadRequest("/users/%FF%FE/history", null, "not valid UTF-8");
    }

    @Test
    void blankIdsAreRefused() {
        assertBadRequest("/users//history", null, "user id is blank");
        assertBadRequest("/users/%20%20/recommendations", null, "user id is blank");
    }

    @Test
    void idsAreLimitedInUtf8BytesNotCharacters() throws ApiException {
        assertThat(parse("/users/12345678/history", null).userId()).hasSize(MAX_ID_BYTES);
        assertBadRequest("/users/123456789/history", null, "9 bytes, longer than the 8-byte limit");
        // Five characters, ten bytes.
        assertBadRequest("/users/%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9/history", null, "10 bytes");
    }

    @Test
    void routesWithoutAUserIgnoreTheQuery() throws ApiException {
        assertThat(parse("/models", "k=0")).isEqualTo(new ApiRequest(Route.MODELS, null, DEFAULT_K,
                DEFAULT_MAX_LAG));
        assertThat(parse("/health/ready", "%zz").route()).isEqualTo(Route.READY);
        assertThat(parse("/metrics", null).user()).isEmpty();
    }
}
