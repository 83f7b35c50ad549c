package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void everyRouteMatchesItsOwnPathAndNothingElse() {
        assertThat(Route.match("/users/u-1/recommendations")).contains(new Route.Match(Route.RECOMMENDATIONS, "u-1"));
        assertThat(Route.match("/users/u%2F1/history")).contains(new Route.Match(Route.HISTORY, "u%2F1"));
        assertThat(Route.match("/models")).contains(new Route.Match(Route.MODELS, null));
        assertThat(Route.match("/models/events")).contains(new Route.Match(Route.MODEL_EVENTS, null));
        assertThat(Route.match("/instances")).contains(new Route.Match(Route.INSTANCES, null));
        assertThat(Route.match("/health/live")).contains(new Route.Match(Route.LIVE, null));
        assertThat(Route.match("/health/ready")).contains(new Route.Match(Route.READY, null));
        assertThat(Route.match("/metrics")).contains(new Route.Match(Route.METRICS, null));
    }

    @Test
    void anEmptyUserIdStillMatchesSoTheParserCanSayItIsBlank() {
        assertThat(Route.match("/users//history")).contains(new Route.Match(Route.HISTORY, ""));
    }

    @Test
    void unknownOrSloppyPathsMatchNothing() {
        assertThat(Route.match("/")).isEmpty();
        assertThat(Route.match("")).isEmpty();
        assertThat(Route.match(null)).isEmpty();
        assertThat(Route.match("/models/")).isEmpty();
        assertThat(Route.match("/metrics/x")).isEmpty();
        assertThat(Route.match("/instances/")).isEmpty();
        assertThat(Route.match("/users/u-1")).isEmpty();
        assertThat(Route.match("/users/u-1/friends")).isEmpty();
        assertThat(Route.match("/users/a/b/history")).isEmpty();
        assertThat(Route.match("users/u-1/history")).isEmpty();
        assertThat(Route.match("/users/{id}/history/")).isEmpty();
    }

    @Test
    void onlyTheUserRoutesArePerUser() {
        assertThat(Route.values()).filteredOn(Route::perUser)
                .containsExactlyInAnyOrder(Route.RECOMMENDATIONS, Route.HISTORY);
    }
}
