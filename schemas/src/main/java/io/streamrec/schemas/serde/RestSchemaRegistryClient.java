package io.streamrec.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The {@link SchemaRegistryClient} over HTTP: the subset of Confluent's Schema Registry REST API that Avro
 * serdes need, over {@code java.net.http}. It speaks Confluent's documented API and media types, so it works with Confluent,
 * Apicurio's ccompat API, Karapace, Redpanda and the devstack registry.
 *
 * <p>Schema ids are immutable in a registry, so {@link #schemaById(int)}, {@link #register(String, Schema)}
 * and {@link #lookup(String, Schema)} results are cached for the client's lifetime; {@link #latest(String)}
 * is not cached (callers that want it cached, like {@code use.latest.version}, cache it themselves).
 *
 * <p>Thread-safe: one instance may serve every serde of a process. Holds no resources that need closing.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** Confluent's request and response media type. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = MEDIA_TYPE
            + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final Duration requestTimeout;
    private final HttpClient http;

    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) { }

    /**
     * @param baseUrls       registry base URLs, tried in order when one is unreachable
     * @param basicUserInfo  {@code user:password} for HTTP basic auth, if the registry needs it
     * @param requestTimeout per-request timeout (connect plus response)
     */
    public RestSchemaRegistryClient(List<URI> baseUrls, Optional<String> basicUserInfo, Duration requestTimeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is required");
        }
        this.baseUrls = List.copyOf(baseUrls);
        this.authorization = basicUserInfo.map(info ->
                "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** A client configured from the serde keys ({@code schema.registry.url}, basic auth, timeout). */
    public static RestSchemaRegistryClient fromConfig(AvroSerdeConfig config) {
        return new RestSchemaRegistryClient(config.registryUrls(), config.basicAuthUserInfo(),
                Duration.ofMillis(config.requestTimeoutMs()));
    }

    /** A client for one URL without authentication: tests and tools. */
    public static RestSchemaRegistryClient forUrl(String url) {
        return fromConfig(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url)));
    }

    @Override
    public String location() {
        return baseUrls.toString();
    }

    /**
     * Registers the schema under the subject ({@code POST /subjects/{subject}/versions}) and returns its id;
     * a schema already registered returns its existing id. Cached.
     */
    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
            int id = requiredInt(answer, "id");
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /**
     * Finds the schema among the subject's versions ({@code POST /subjects/{subject}}) without registering
     * it. Throws a {@link SchemaRegistryException} with {@link SchemaRegistryException#notFound()} when it is
     * not registered. Cached.
     */
    @Override
    public int lookup(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(schema));
            int id = requiredInt(answer, "id");
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    /** The schema with this global id ({@code GET /schemas/ids/{id}}). Cached. */
    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(requiredText(answer, "schema"), "schema id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous == null ? schema : previous;
    }

    /** The subject's latest version ({@code GET /subjects/{subject}/versions/latest}). Not cached. */
    @Override
    public RegisteredSchema latest(String subject) {
        return version(subject, "latest");
    }

    /** One version of a subject ({@code GET /subjects/{subject}/versions/{version}}), {@code latest} allowed. */
    @Override
    public RegisteredSchema version(String subject, String version) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
        int id = requiredInt(answer, "id");
        Schema schema = parse(requiredText(answer, "schema"), "subject " + subject + " version " + version);
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(subject, id, requiredInt(answer, "version"), schema);
    }

    /**
     * Whether the schema may be registered under the subject given its compatibility level, checked against
     * the latest version ({@code POST /compatibility/subjects/{subject}/versions/latest?verbose=true}).
     * A subject with no versions accepts anything.
     */
    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        JsonNode answer;
        try {
            answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                    schemaBody(schema));
        } catch (SchemaRegistryException e) {
            if (e.notFound()) {
                return new CompatibilityResult(true, List.of());
            }
            throw e;
        }
        JsonNode compatible = answer.get("is_compatible");
        if (compatible == null || !compatible.isBoolean()) {
            throw malformed("POST /compatibility/subjects/" + subject, "is_compatible");
        }
        List<String> messages = new ArrayList<>();
        JsonNode list = answer.get("messages");
        if (list != null && list.isArray()) {
            list.forEach(message -> messages.add(message.asText()));
        }
        return new CompatibilityResult(compatible.booleanValue(), messages);
    }

    private static ObjectNode schemaBody(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body;
    }

    /**
     * Sends one request, trying each base URL in order while they are unreachable. An HTTP error answer from
     * a reachable registry is final: another URL of the same cluster would answer the same.
     */
    private JsonNode send(String method, String pathAndQuery, ObjectNode body) {
        IOException lastFailure = null;
        URI lastUri = null;
        for (URI base : baseUrls) {
            URI uri = URI.create(base + pathAndQuery);
            lastUri = uri;
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("Accept", ACCEPT);
            authorization.ifPresent(value -> request.header("Authorization", value));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", MEDIA_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling the schema registry: " + method + " "
                        + uri, -1, -1, uri, e);
            }
            return parseAnswer(method, uri, response);
        }
        throw new SchemaRegistryException("schema registry unreachable at " + baseUrls + " (" + method + " "
                + pathAndQuery + "): " + describe(lastFailure), -1, -1, lastUri, lastFailure);
    }

    private static JsonNode parseAnswer(String method, URI uri, HttpResponse<String> response) {
        int status = response.statusCode();
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new SchemaRegistryException("schema registry sent a body that is not JSON for " + method + " "
                        + uri + ": " + abbreviate(response.body()), status, -1, uri, null);
            }
            return json;
        }
        int errorCode = json != null && json.path("error_code").canConvertToInt() ? json.path("error_code").asInt()
                : -1;
        String message = json != null && json.hasNonNull("message") ? json.get("message").asText()
                : abbreviate(response.body());
        throw new SchemaRegistryException("schema registry answered " + status
                + (errorCode >= 0 ? " (error_code " + errorCode + ")" : "") + " to " + method + " " + uri + ": "
                + message, status, errorCode, uri, null);
    }

    private static Schema parse(String schemaText, String what) {
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("the registry's " + what + " is not a valid Avro schema: "
                    + e.getMessage(), 200, -1, null, e);
        }
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw malformed("answer", field);
        }
        return value.asInt();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw malformed("answer", field);
        }
        return value.asText();
    }

    private static SchemaRegistryException malformed(String what, String field) {
        return new SchemaRegistryException("schema registry " + what + " lacks the field '" + field + "'", 200, -1,
                null, null);
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(IOException failure) {
        if (failure == null) {
            return "no attempt";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
