package io.streamrec.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.devstack.RegistryRoutes.Endpoint;
import io.streamrec.devstack.RegistryRoutes.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RegistryRoutesTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "/                                          | ROOT                          |",
            "/schemas/types                             | SCHEMA_TYPES                  |",
            "/schemas/ids/7                             | SCHEMA_BY_ID                  | 7",
            "/schemas/ids/7/schema                      | SCHEMA_BY_ID_RAW              | 7",
            "/schemas/ids/7/subjects                    | SCHEMA_BY_ID_SUBJECTS         | 7",
            "/schemas/ids/7/versions                    | SCHEMA_BY_ID_VERSIONS         | 7",
            "/subjects                                  | SUBJECTS                      |",
            "/subjects/clicks-value                     | SUBJECT                       | clicks-value",
            "/subjects/clicks-value/versions            | SUBJECT_VERSIONS              | clicks-value",
            "/subjects/clicks-value/versions/latest     | SUBJECT_VERSION               | clicks-value;latest",
            "/subjects/s/versions/2/schema              | SUBJECT_VERSION_SCHEMA        | s;2",
            "/subjects/s/versions/2/referencedby        | SUBJECT_VERSION_REFERENCED_BY | s;2",
            "/compatibility/subjects/s/versions/latest  | COMPATIBILITY_VERSION         | s;latest",
            "/compatibility/subjects/s/versions         | COMPATIBILITY_ALL_VERSIONS    | s",
            "/config                                    | CONFIG                        |",
            "/config/s                                  | SUBJECT_CONFIG                | s",
            "/mode                                      | MODE                          |",
            "/subjects/                                 | SUBJECTS                      |",
            "/subjects/a%2Fb/versions                   | SUBJECT_VERSIONS              | a/b",
            "/subjects/a+b%20c                          | SUBJECT                       | a+b c",
            "/subjects/caf%C3%A9                        | SUBJECT                       | café"})
    void pathsOfConfluentsApiMapToTheirEndpoints(String path, Endpoint endpoint, String params) {
        List<String> expected = params == null ? List.of() : List.of(params.split(";"));
        assertThat(RegistryRoutes.route(path)).isEqualTo(new Route(endpoint, expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/schemas", "/schemas/ids", "/schemas/ids/1/other", "/subjects/s/other",
            "/subjects/s/versions/1/other", "/compatibility/subjects/s", "/config/a/b", "/mode/x"})
    void unknownPathsAreConfluentsPlain404(String path) {
        assertThatThrownBy(() -> RegistryRoutes.route(path))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(404);
                });
    }

    @Test
    void aBadPercentEscapeIsABadRequest() {
        assertThatThrownBy(() -> RegistryRoutes.route("/subjects/%zz"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
    }

    @Test
    void eachEndpointAllowsOnlyItsMethods() {
        assertThat(Endpoint.SUBJECT_VERSIONS.allows("POST")).isTrue();
        assertThat(Endpoint.SUBJECT_VERSIONS.allows("GET")).isTrue();
        assertThat(Endpoint.SUBJECT_VERSIONS.allows("DELETE")).isFalse();
        assertThat(Endpoint.SUBJECT.allows("GET")).isFalse();
        assertThat(Endpoint.CONFIG.allows("PUT")).isTrue();
        assertThat(Endpoint.SCHEMA_BY_ID.allows("POST")).isFalse();
    }

    @Test
    void queryParametersAreDecodedAndTheFirstValueWins() {
        assertThat(RegistryRoutes.query("deleted=true&subjectPrefix=a%2Db+c&verbose&deleted=false"))
                .isEqualTo(Map.of("deleted", "true", "subjectPrefix", "a-b c", "verbose", ""));
        assertThat(RegistryRoutes.query(null)).isEmpty();
    }
}
