package io.streamrec.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamrec.app.http.Route;
import io.streamrec.app.model.ModelEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code docs/openapi.yaml} describes the routes the streams app serves: all of them, and nothing else. */
class OpenApiDocumentTest {

    private static JsonNode document;

    @BeforeAll
    static void read() throws IOException {
        document = new ObjectMapper(new YAMLFactory()).readTree(Markdown.projectRoot().resolve("docs/openapi.yaml")
                .toFile());
    }

    @Test
    void itIsOpenApi3WithTheApiAndManagementServers() {
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("servers").findValuesAsText("url")).hasSize(2);
    }

    @Test
    void thePathsAreExactlyTheAppsRoutes() {
        Set<String> documented = new TreeSet<>();
        document.path("paths").fieldNames().forEachRemaining(documented::add);
        Set<String> served = Arrays.stream(Route.values()).map(Route::template)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(documented).isEqualTo(served);
    }

    @Test
    void everyRouteIsAGetAndPerUserRoutesTakeTheUserIdInThePath() {
        for (Route route : Route.values()) {
            JsonNode path = document.path("paths").path(route.template());
            List<String> methods = new ArrayList<>();
            path.fieldNames().forEachRemaining(methods::add);
            assertThat(methods).as(route.template()).containsExactly("get");
            String parameters = path.path("get").path("parameters").toString();
            assertThat(parameters.contains("#/components/parameters/UserId")).as(route.template())
                    .isEqualTo(route.perUser());
        }
    }

    @Test
    void managementRoutesNameTheManagementListener() {
        for (Route route : Route.values()) {
            List<String> servers = document.path("paths").path(route.template()).path("get").path("servers")
                    .findValuesAsText("url");
            assertThat(servers.stream().anyMatch(url -> url.endsWith(":8079"))).as(route.template())
                    .isEqualTo(route.management());
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        for (String reference : document.findValuesAsText("$ref")) {
            if (document.at(reference.substring(1)).isMissingNode()) {
                broken.add(reference);
            }
        }
        assertThat(broken).isEmpty();
        assertThat(document.at("/components/schemas/NoSuchSchema").isMissingNode()).as("the check can fail")
                .isTrue();
    }

    @Test
    void theModelEventKindsAreTheRegistrysKinds() {
        List<String> kinds = new ArrayList<>();
        document.at("/components/schemas/ModelEvent/properties/kind/enum").forEach(kind -> kinds.add(kind.asText()));
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(Arrays.stream(ModelEvent.Kind.values())
                .map(kind -> kind.name().toLowerCase(Locale.ROOT)).toList());
    }
}
