package io.streamrec.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.streamrec.devstack.RegistryRoutes.Route;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry that speaks Confluent's REST API (the Avro subset: subjects, versions, ids, compatibility,
 * config, soft and permanent deletes) on 127.0.0.1 and keeps its state in a compacted Kafka topic
 * ({@code _schemas} by default) the way Confluent's registry does, so schema ids, versions and compatibility
 * settings survive a restart. Clients written against Confluent's documentation work with it; schema
 * references and the JSON Schema and Protobuf types are not supported (422 with a clear message).
 *
 * <p>Lifetime: {@link #start(Settings)} binds the port, creates the topic if missing, reads it to its end and then
 * serves; {@link #close()} stops serving and releases the Kafka clients. The topic, and with it every schema,
 * outlives the server.
 *
 * <p>Thread-safety: requests are served concurrently by a small pool; registrations are serialized so ids and
 * versions are assigned exactly once. Run one registry per topic at a time. {@link #close()} is idempotent.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

    /** Confluent's response media type. */
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Set<String> ACCEPTED_REQUEST_TYPES = Set.of(
            "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "application/json",
            "application/octet-stream");
    /** Avro schemas are small; a body this large is a mistake, not a schema. */
    private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

    /**
     * How to run a registry. Immutable; the {@code with...} methods return changed copies.
     *
     * @param bootstrapServers the Kafka cluster holding the store topic
     * @param port             HTTP port on 127.0.0.1, 0 for a free one
     * @param topic            the store topic; one partition, compacted
     * @param timeout          how long to wait for Kafka when starting and for each write
     * @param threads          request-serving threads
     */
    public record Settings(String bootstrapServers, int port, TopicSpec topic, Duration timeout, int threads) {
        public Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(timeout, "timeout");
            Ports.requireValid(port, "schema registry");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
        }

        /**
         * A free port, the catalog's {@code _schemas} topic at replication factor 1 (a single-broker cluster), a
         * 30 s timeout and 8 threads.
         */
        public static Settings forCluster(String bootstrapServers) {
            return new Settings(bootstrapServers, 0, TopicCatalog.SCHEMAS.withReplicationFactor((short) 1),
                    Duration.ofSeconds(30), 8);
        }

        public Settings withPort(int newPort) {
            return new Settings(bootstrapServers, newPort, topic, timeout, threads);
        }

        public Settings withTopic(TopicSpec newTopic) {
            return new Settings(bootstrapServers, port, newTopic, timeout, threads);
        }

        public Settings withTimeout(Duration newTimeout) {
            return new Settings(bootstrapServers, port, topic, newTimeout, threads);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final KafkaSchemaStore store;
    private final int port;
    private final Duration startupTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SchemaRegistryServer(HttpServer server, ExecutorService executor, KafkaSchemaStore store,
                                 Duration startupTime) {
        this.server = server;
        this.executor = executor;
        this.store = store;
        this.port = server.getAddress().getPort();
        this.startupTime = startupTime;
    }

    /** Starts a registry on the given port (0: a free one) for the cluster, with the default settings. */
    public static SchemaRegistryServer start(String bootstrapServers, int port) {
        return start(Settings.forCluster(bootstrapServers).withPort(port));
    }

    /**
     * Starts a registry and returns once it serves everything its topic holds.
     *
     * @throws DevStackException when the port is busy or the topic cannot be created or read
     */
    public static SchemaRegistryServer start(Settings settings) {
        long started = System.nanoTime();
        // Bind first: a busy port fails fast, before any Kafka work.
        HttpServer server = bind(settings.port());
        ExecutorService executor = null;
        KafkaSchemaStore store = null;
        try {
            store = KafkaSchemaStore.open(settings.bootstrapServers(), settings.topic(), settings.timeout());
            executor = Executors.newFixedThreadPool(settings.threads(), new RegistryThreads());
            server.setExecutor(executor);
            server.createContext("/", new RegistryHandler(new SchemaRegistryService(store)));
            server.start();
        } catch (RuntimeException e) {
            server.stop(0);
            if (executor != null) {
                executor.shutdownNow();
            }
            if (store != null) {
                store.close();
            }
            throw e;
        }
        Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
        SchemaRegistryServer registry = new SchemaRegistryServer(server, executor, store, startupTime);
        LOG.info("Schema registry ready at {} (store topic {}) in {} ms", registry.url(), settings.topic().name(),
                startupTime.toMillis());
        return registry;
    }

    /** {@code http://127.0.0.1:<port>}, the value for {@code schema.registry.url}. */
    public String url() {
        return "http://" + Ports.LOOPBACK_HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** How long {@link #start(Settings)} took, including reading the store topic. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Stops serving (requests in flight are cut off) and closes the Kafka clients. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        store.close();
        LOG.info("Schema registry at {} stopped", url());
    }

    @Override
    public String toString() {
        return "SchemaRegistryServer[" + url() + "]";
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(Ports.loopback(), port), 64);
        } catch (BindException e) {
            throw new DevStackException("schema registry port " + port + " on " + Ports.LOOPBACK_HOST
                    + " is already in use (" + e.getMessage() + "); choose another port or 0 for a free one", e);
        } catch (IOException e) {
            throw new DevStackException("cannot open the schema registry port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Named daemon threads, so a forgotten registry never keeps a JVM alive. */
    private static final class RegistryThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }

    /** Turns HTTP exchanges into service calls and answers, errors included. */
    private static final class RegistryHandler implements HttpHandler {
        private final SchemaRegistryService service;

        RegistryHandler(SchemaRegistryService service) {
            this.service = service;
        }

        @Override
        public void handle(HttpExchange exchange) {
            try (exchange) {
                int status = 200;
                byte[] body;
                try {
                    body = dispatch(exchange);
                } catch (RegistryException e) {
                    status = e.httpStatus();
                    body = RegistryJson.error(e.errorCode(), e.getMessage());
                } catch (RuntimeException e) {
                    LOG.error("Schema registry failed on {} {}", exchange.getRequestMethod(),
                            exchange.getRequestURI(), e);
                    status = 500;
                    body = RegistryJson.error(50001, "Internal error in the schema registry: " + e);
                }
                LOG.debug("{} {} -> {}", exchange.getRequestMethod(), exchange.getRequestURI(), status);
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                exchange.sendResponseHeaders(status, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                // The client went away; nothing left to answer.
                LOG.debug("Schema registry could not answer {}: {}", exchange.getRequestURI(), e.toString());
            }
        }

        private byte[] dispatch(HttpExchange exchange) throws IOException {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            Route route = RegistryRoutes.route(exchange.getRequestURI().getRawPath());
            if (!route.endpoint().allows(method)) {
                throw RegistryException.methodNotAllowed();
            }
            Map<String, String> query = RegistryRoutes.query(exchange.getRequestURI().getRawQuery());
            boolean deleted = flag(query, "deleted");
            boolean permanent = flag(query, "permanent");
            return switch (route.endpoint()) {
                case ROOT -> json(Map.of());
                case SCHEMA_TYPES -> json(service.schemaTypes());
                case SCHEMA_BY_ID -> json(service.schemaById(id(route.param(0))));
                case SCHEMA_BY_ID_RAW -> raw((String) service.schemaById(id(route.param(0))).get("schema"));
                case SCHEMA_BY_ID_SUBJECTS -> json(service.subjectsById(id(route.param(0)), deleted));
                case SCHEMA_BY_ID_VERSIONS -> json(service.versionsById(id(route.param(0)), deleted));
                case SUBJECTS -> json(service.subjects(deleted, query.get("subjectPrefix")));
                case SUBJECT -> method.equals("POST")
                        ? json(service.lookup(route.param(0), RegistryJson.schemaRequest(body(exchange)), deleted))
                        : json(service.deleteSubject(route.param(0), permanent));
                case SUBJECT_VERSIONS -> method.equals("POST")
                        ? json(service.register(route.param(0), RegistryJson.schemaRequest(body(exchange))))
                        : json(service.versions(route.param(0), deleted));
                case SUBJECT_VERSION -> method.equals("GET")
                        ? json(service.version(route.param(0), route.param(1), deleted))
                        : json(service.deleteVersion(route.param(0), route.param(1), permanent));
                case SUBJECT_VERSION_SCHEMA -> raw(service.rawSchema(route.param(0), route.param(1), deleted));
                case SUBJECT_VERSION_REFERENCED_BY -> json(service.referencedBy(route.param(0), route.param(1)));
                case COMPATIBILITY_VERSION -> json(service.checkCompatibility(route.param(0),
                        Optional.of(route.param(1)), RegistryJson.schemaRequest(body(exchange)),
                        flag(query, "verbose")));
                case COMPATIBILITY_ALL_VERSIONS -> json(service.checkCompatibility(route.param(0), Optional.empty(),
                        RegistryJson.schemaRequest(body(exchange)), flag(query, "verbose")));
                case CONFIG -> switch (method) {
                    case "PUT" -> json(service.setGlobalConfig(RegistryJson.configRequest(body(exchange))));
                    case "DELETE" -> json(service.deleteGlobalConfig());
                    default -> json(service.globalConfig());
                };
                case SUBJECT_CONFIG -> switch (method) {
                    case "PUT" -> json(service.setSubjectConfig(route.param(0),
                            RegistryJson.configRequest(body(exchange))));
                    case "DELETE" -> json(service.deleteSubjectConfig(route.param(0)));
                    default -> json(service.subjectConfig(route.param(0), flag(query, "defaultToGlobal")));
                };
                case MODE -> json(service.mode());
            };
        }

        private static byte[] body(HttpExchange exchange) throws IOException {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                if (!mediaType.isEmpty() && !ACCEPTED_REQUEST_TYPES.contains(mediaType)) {
                    throw RegistryException.unsupportedMediaType(contentType);
                }
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
                if (body.length > MAX_BODY_BYTES) {
                    throw new RegistryException(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
                }
                return body;
            }
        }

        private static int id(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                // Confluent (Jersey) answers a non-integer id path parameter with a plain 404.
                throw RegistryException.notFound();
            }
        }

        private static boolean flag(Map<String, String> query, String name) {
            return "true".equalsIgnoreCase(query.get(name));
        }

        private static byte[] json(Object value) {
            return RegistryJson.write(value);
        }

        private static byte[] raw(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
