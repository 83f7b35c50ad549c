package io.streamrec.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.model.TestModels;
import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import io.streamrec.devstack.LocalStack;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the app's ITs share (the HTTP ITs, and {@code StopWhileLoadingIT}): private topics and app settings on the
 * shared local stack, producers of clicks and releases in the wire format through the real registry, and a small
 * HTTP client. Immutable.
 *
 * @param suffix unique per test class: topic names and the application id carry it
 * @param topics the private topics by catalog name
 */
public record ApiItSupport(LocalStack stack, String suffix, Map<String, String> topics) {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer. */
    record Answer(int status, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** Creates this class's topics: the catalog's, renamed, at the given partition count. */
    public static ApiItSupport create(LocalStack stack, String prefix, int partitions) {
        String suffix = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        TopicCatalog catalog = TopicCatalog.standard().withReplicationFactor((short) 1).withPartitions(partitions);
        Map<String, String> names = new HashMap<>();
        List<TopicSpec> specs = new ArrayList<>();
        for (String name : List.of("clicks", "recommendations", "interactions", "models", "dead-letters")) {
            TopicSpec spec = catalog.topic(name).withName(name + "-" + suffix);
            specs.add(spec);
            names.put(name, spec.name());
        }
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(specs.stream().map(TopicSpec::toNewTopic).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create test topics", e);
        }
        return new ApiItSupport(stack, suffix, Map.copyOf(names));
    }

    /** Settings of one instance: this class's topics and application id, loopback HTTP on a free port. */
    public Map<String, Object> appSettings(Path stateDir) {
        Map<String, Object> settings = new HashMap<>(stack.clientProperties());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, "http-it-" + suffix);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.get("dead-letters"));
        settings.put(StreamsAppConfig.TOPIC_CLICKS_CONFIG, topics.get("clicks"));
        settings.put(StreamsAppConfig.TOPIC_RECOMMENDATIONS_CONFIG, topics.get("recommendations"));
        settings.put(StreamsAppConfig.TOPIC_INTERACTIONS_CONFIG, topics.get("interactions"));
        settings.put(StreamsAppConfig.TOPIC_MODELS_CONFIG, topics.get("models"));
        settings.put(StreamsAppConfig.TOPIC_DEAD_LETTERS_CONFIG, topics.get("dead-letters"));
        settings.put(StreamsAppConfig.MODEL_TRUSTED_KEYS_CONFIG,
                ReleaseKeys.publicKeyPem(TestModels.TRAINER_KEY.getPublic()));
        settings.put(StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1");
        settings.put(StreamsAppConfig.HTTP_PORT_CONFIG, 0);
        settings.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0);
        settings.put(StreamsAppConfig.HTTP_THREADS_CONFIG, 2);
        return settings;
    }

    /** A producer of clicks in the wire format, schemas registered through the stack's registry. */
    KafkaProducer<String, ClickEvent> clickProducer() {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class,
                RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()), config, false);
        return new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
    }

    /** Publishes a release to this class's models topic, keyed by model name, and waits for the ack. */
    public void publish(ModelRelease release) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalog.MODELS_MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class,
                RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()), config, false);
        try (KafkaProducer<String, ModelRelease> producer = new KafkaProducer<>(config, new StringSerializer(),
                serde.serializer())) {
            producer.send(new ProducerRecord<>(topics.get("models"), release.getName(), release)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the release", e);
        }
    }

    static Answer get(StreamsApp app, String pathAndQuery) {
        return send(app, "GET", pathAndQuery);
    }

    static Answer send(StreamsApp app, String method, String pathAndQuery) {
        return send(app, method, pathAndQuery, Map.of());
    }

    static Answer send(StreamsApp app, String method, String pathAndQuery, Map<String, String> headers) {
        return send(app.httpPort(), method, pathAndQuery, headers);
    }

    /** A GET on the app's management listener. */
    static Answer getManagement(StreamsApp app, String path) {
        return send(app.managementPort(), "GET", path, Map.of());
    }

    private static Answer send(int port, String method, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code host:port} of an app, as its Served-By header names it. */
    static String name(StreamsApp app) {
        return app.httpAdvertised().host() + ":" + app.httpAdvertised().port();
    }
}
