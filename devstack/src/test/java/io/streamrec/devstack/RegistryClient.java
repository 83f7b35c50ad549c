package io.streamrec.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Raw HTTP calls for the registry tests, written from Confluent's API documentation rather than from the server's
 * code: plain {@code java.net.http} requests with Confluent's media type. Thread-safe.
 */
final class RegistryClient {

    static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    /** A response: status, raw body and the body parsed as JSON (null if it is not JSON). */
    record Response(int status, String contentType, String body, JsonNode json) {
        int errorCode() {
            return json.path("error_code").asInt();
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    RegistryClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().header("Accept", MEDIA_TYPE));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE().header("Accept", MEDIA_TYPE));
    }

    Response post(String path, String body) {
        return post(path, body, MEDIA_TYPE);
    }

    Response post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).header("Accept", MEDIA_TYPE));
    }

    Response put(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", MEDIA_TYPE).header("Accept", MEDIA_TYPE));
    }

    /** {@code {"schema": "<schema>"}}, the body of register, lookup and compatibility requests. */
    String schemaBody(String schema) {
        return json(Map.of("schema", schema));
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers and returns the id, failing the test on anything but 200. */
    int register(String subject, String schema) {
        Response response = post("/subjects/" + subject + "/versions", schemaBody(schema));
        if (response.status() != 200) {
            throw new AssertionError("registering under " + subject + " answered " + response.status() + ": "
                    + response.body());
        }
        return response.json().get("id").asInt();
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = mapper.readTree(response.body());
            } catch (IOException e) {
                json = null;
            }
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
