package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.streamrec.avro.ClickEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A registry that is down, overloaded or hung says nothing about the record, so the deserializer throws the
 * retriable {@link RegistryUnavailableException}; a registry that answers that the schema id does not exist
 * condemns the record, an {@link AvroSerdeException}. The faulty registries are real HTTP servers on loopback.
 */
@Timeout(30) // only a guard against a client that hangs; nothing here measures time
class RegistryOutageTest {

    private static final int SCHEMA_ID = 42;
    /** For registries that do answer: long enough that a slow first request on a busy machine still does. */
    private static final int ANSWER_TIMEOUT_MS = 10_000;
    /** For the registry that never answers. */
    private static final int HUNG_TIMEOUT_MS = 300;
    private static final byte[] CLICK = AvroBytes.record(SCHEMA_ID).string("user-1").string("item-1")
            .string("view").varint(1_700_000_000_000L).varint(0).varint(0).varint(0).toBytes();

    private final CountDownLatch hungRequestsReleased = new CountDownLatch(1);
    private HttpServer registry;
    private ExecutorService handlers;

    @AfterEach
    void stopTheRegistry() {
        hungRequestsReleased.countDown();
        if (registry != null) {
            registry.stop(0);
            handlers.shutdownNow();
        }
    }

    @Test
    void aRegistryThatIsDownIsRetriable() throws IOException {
        String url;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            url = "http://127.0.0.1:" + socket.getLocalPort();
        }
        assertThatThrownBy(() -> clicksFrom(url, ANSWER_TIMEOUT_MS).deserialize("clicks", CLICK))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("could not fetch schema id 42 for clicks")
                .hasMessageContaining("unreachable")
                .hasMessageContaining(url);
    }

    @Test
    void aRegistryAnswering503IsRetriable() throws IOException {
        String url = serve(exchange -> answer(exchange, 503, "{\"error_code\": 50302, \"message\": \"overloaded\"}"));

        assertThatThrownBy(() -> clicksFrom(url, ANSWER_TIMEOUT_MS).deserialize("clicks", CLICK))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("could not fetch schema id 42 for clicks")
                .hasMessageContaining("answered 503");
    }

    @Test
    void aRegistryThatAcceptsButNeverAnswersIsRetriable() throws IOException {
        String url = serve(exchange -> {
            awaitTheEndOfTheTest();
            exchange.close();
        });

        assertThatThrownBy(() -> clicksFrom(url, HUNG_TIMEOUT_MS).deserialize("clicks", CLICK))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("could not fetch schema id 42 for clicks")
                .hasMessageContaining("HttpTimeoutException");
    }

    @Test
    void anUnknownSchemaIdIsTheRecordsFault() throws IOException {
        String url = serve(exchange -> answer(exchange, 404,
                "{\"error_code\": 40403, \"message\": \"Schema 42 not found\"}"));

        assertThatThrownBy(() -> clicksFrom(url, ANSWER_TIMEOUT_MS).deserialize("clicks", CLICK))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("schema id 42 is not registered")
                .hasMessageContaining("schemaId=42");
    }

    @Test
    void aRecordRetriedAfterTheOutageDecodes() throws IOException {
        String schemaAnswer = new ObjectMapper().createObjectNode()
                .put("schema", ClickEvent.getClassSchema().toString()).toString();
        AtomicInteger requests = new AtomicInteger();
        String url = serve(exchange -> {
            if (requests.incrementAndGet() == 1) {
                answer(exchange, 503, "{\"error_code\": 50302, \"message\": \"overloaded\"}");
            } else {
                answer(exchange, 200, schemaAnswer);
            }
        });
        AvroDeserializer<ClickEvent> clicks = clicksFrom(url, ANSWER_TIMEOUT_MS);

        assertThatThrownBy(() -> clicks.deserialize("clicks", CLICK)).isInstanceOf(RegistryUnavailableException.class);
        assertThat(clicks.deserialize("clicks", CLICK).getUserId()).isEqualTo("user-1");
    }

    private static AvroDeserializer<ClickEvent> clicksFrom(String registryUrl, int requestTimeoutMs) {
        AvroDeserializer<ClickEvent> clicks = new AvroDeserializer<>(ClickEvent.class);
        clicks.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl,
                AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs), false);
        return clicks;
    }

    /** Starts a registry on a free loopback port that answers every request with the handler. */
    private String serve(HttpHandler handler) throws IOException {
        registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A handler of its own per request, so that a hung one does not hold up the server or its stop.
        handlers = Executors.newCachedThreadPool();
        registry.setExecutor(handlers);
        registry.createContext("/", handler);
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.MEDIA_TYPE);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private void awaitTheEndOfTheTest() {
        try {
            hungRequestsReleased.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
