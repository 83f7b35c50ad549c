package io.streamrec.devstack;

import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamrec local stack: a {@link LocalKafkaBroker} and a {@link SchemaRegistryServer} on 127.0.0.1, with every
 * topic of {@link TopicCatalog#standard()} created at replication factor 1. For the one-command demo
 * ({@link DevStackCli}) and for integration tests ({@link LocalStackExtension}).
 *
 * <p>Lifetime: {@link #start(Settings)} returns a running stack (about two seconds from a cold JVM);
 * {@link #close()} stops the registry, then the broker. The data directory and its topics stay on disk, and
 * starting a stack on it again brings back the topics, the records and the registered schemas.
 *
 * <p>Thread-safety: the accessors are safe from any thread. {@link #restartSchemaRegistry()} and {@link #close()}
 * are serialized; {@link #close()} is idempotent.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /** The Confluent client configuration key for the registry address, as serdes read it. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";

    /**
     * How to run a stack. Immutable; the {@code with...} methods return changed copies.
     *
     * @param dataDirectory   where the broker keeps its data; created if missing, reused if it holds a stack
     * @param brokerPort      Kafka client port, 0 for a free one
     * @param controllerPort  KRaft controller port, 0 for a free one
     * @param registryPort    schema registry HTTP port, 0 for a free one
     * @param partitions      partition count of the catalog's multi-partition topics; 0 keeps the catalog's
     *                        ({@value TopicCatalog#DEFAULT_PARTITIONS})
     * @param brokerOverrides extra broker properties
     * @param timeout         how long to wait for each component to start and for topic creation
     */
    public record Settings(Path dataDirectory, int brokerPort, int controllerPort, int registryPort, int partitions,
                           Map<String, String> brokerOverrides, Duration timeout) {
        public Settings {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(timeout, "timeout");
            Ports.requireValid(brokerPort, "broker");
            Ports.requireValid(controllerPort, "controller");
            Ports.requireValid(registryPort, "schema registry");
            if (partitions < 0) {
                throw new IllegalArgumentException(
                        "partitions must be >= 1, or 0 for the catalog's, got " + partitions);
            }
            brokerOverrides = Map.copyOf(brokerOverrides);
        }

        /** Free ports, the catalog's partition counts, a 60 s timeout. */
        public static Settings in(Path dataDirectory) {
            return new Settings(dataDirectory, 0, 0, 0, 0, Map.of(), Duration.ofSeconds(60));
        }

        public Settings withBrokerPort(int port) {
            return new Settings(dataDirectory, port, controllerPort, registryPort, partitions, brokerOverrides,
                    timeout);
        }

        public Settings withControllerPort(int port) {
            return new Settings(dataDirectory, brokerPort, port, registryPort, partitions, brokerOverrides, timeout);
        }

        public Settings withRegistryPort(int port) {
            return new Settings(dataDirectory, brokerPort, controllerPort, port, partitions, brokerOverrides, timeout);
        }

        /** Fewer partitions make Kafka Streams tests start faster; 0 restores the catalog's counts. */
        public Settings withPartitions(int count) {
            return new Settings(dataDirectory, brokerPort, controllerPort, registryPort, count, brokerOverrides,
                    timeout);
        }

        public Settings withBrokerOverride(String key, String value) {
            Map<String, String> changed = new LinkedHashMap<>(brokerOverrides);
            changed.put(key, value);
            return new Settings(dataDirectory, brokerPort, controllerPort, registryPort, partitions, changed, timeout);
        }

        public Settings withTimeout(Duration newTimeout) {
            return new Settings(dataDirectory, brokerPort, controllerPort, registryPort, partitions, brokerOverrides,
                    newTimeout);
        }

        /** The catalog this stack provisions: the standard one at replication factor 1, with these partitions. */
        public TopicCatalog catalog() {
            TopicCatalog catalog = TopicCatalog.standard().withReplicationFactor((short) 1);
            return partitions == 0 ? catalog : catalog.withPartitions(partitions);
        }
    }

    private final Settings settings;
    private final LocalKafkaBroker broker;
    private final TopicProvisioner.Report provisioning;
    private final Duration startupTime;
    private SchemaRegistryServer registry; // guarded by this
    private boolean closed; // guarded by this

    private LocalStack(Settings settings, LocalKafkaBroker broker, SchemaRegistryServer registry,
                       TopicProvisioner.Report provisioning, Duration startupTime) {
        this.settings = settings;
        this.broker = broker;
        this.registry = registry;
        this.provisioning = provisioning;
        this.startupTime = startupTime;
    }

    /** Starts a stack with free ports in the given directory. */
    public static LocalStack start(Path dataDirectory) {
        return start(Settings.in(dataDirectory));
    }

    /**
     * Starts the broker, creates the catalog's topics (fixing drifted configs of existing ones), then starts the
     * registry.
     *
     * @throws DevStackException when a port is busy, the directory is unusable, or a component does not start
     */
    public static LocalStack start(Settings settings) {
        long started = System.nanoTime();
        if (settings.registryPort() != 0) {
            // Check before the broker takes two seconds to start, so a busy registry port fails at once.
            Ports.requireFree(settings.registryPort(), "schema registry");
        }
        LocalKafkaBroker broker = startBroker(settings);
        try {
            TopicProvisioner.Report report = provision(broker.bootstrapServers(), settings);
            SchemaRegistryServer registry = startRegistry(broker.bootstrapServers(), settings);
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("Local stack ready in {} ms: bootstrap.servers={} schema.registry.url={} data={}",
                    startupTime.toMillis(), broker.bootstrapServers(), registry.url(), settings.dataDirectory());
            return new LocalStack(settings, broker, registry, report, startupTime);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Starts only the broker of a stack (in {@code dataDirectory/broker}, as {@link #start} does) and creates the
     * catalog's topics: for running the broker and the registry in processes of their own, so that one can be
     * stopped without the other.
     */
    public static LocalKafkaBroker startBrokerWithTopics(Settings settings) {
        LocalKafkaBroker broker = startBroker(settings);
        try {
            provision(broker.bootstrapServers(), settings);
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** Starts only the registry of a stack, on {@code settings.registryPort()}, against a running broker. */
    public static SchemaRegistryServer startRegistry(String bootstrapServers, Settings settings) {
        return SchemaRegistryServer.start(SchemaRegistryServer.Settings.forCluster(bootstrapServers)
                .withPort(settings.registryPort())
                .withTopic(settings.catalog().topic(TopicCatalog.SCHEMAS.name()))
                .withTimeout(settings.timeout()));
    }

    private static LocalKafkaBroker startBroker(Settings settings) {
        LocalKafkaBroker.Settings brokerSettings = LocalKafkaBroker.Settings
                .in(settings.dataDirectory().resolve("broker"))
                .withBrokerPort(settings.brokerPort())
                .withControllerPort(settings.controllerPort())
                .withStartupTimeout(settings.timeout());
        for (Map.Entry<String, String> override : settings.brokerOverrides().entrySet()) {
            brokerSettings = brokerSettings.withOverride(override.getKey(), override.getValue());
        }
        return LocalKafkaBroker.start(brokerSettings);
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** {@code http://127.0.0.1:<port>}, for {@code schema.registry.url}; unchanged by a registry restart. */
    public synchronized String schemaRegistryUrl() {
        return registry.url();
    }

    public int brokerPort() {
        return broker.port();
    }

    public synchronized int schemaRegistryPort() {
        return registry.port();
    }

    public Path dataDirectory() {
        return settings.dataDirectory();
    }

    public Settings settings() {
        return settings;
    }

    /** The topics this stack created or checked, with the partition counts and configs they were given. */
    public TopicCatalog catalog() {
        return settings.catalog();
    }

    /** What provisioning the catalog did at start: created, reconfigured, unchanged. */
    public TopicProvisioner.Report provisioning() {
        return provisioning;
    }

    /** From the call to {@link #start(Settings)} to a serving registry. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * The client properties every streamrec client needs here: {@code bootstrap.servers} and
     * {@code schema.registry.url}. An immutable map; copy it to add a client's own settings.
     */
    public Map<String, Object> clientProperties() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl());
    }

    /** A new Admin client for this stack; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /**
     * Stops the schema registry and starts a new one on the same port, which reads its state back from the
     * {@code _schemas} topic: what a test needs to prove that ids survive a restart. Clients keep their URL.
     */
    public synchronized void restartSchemaRegistry() {
        if (closed) {
            throw new IllegalStateException("the local stack is closed");
        }
        int port = registry.port();
        registry.close();
        registry = startRegistry(broker.bootstrapServers(), settings.withRegistryPort(port));
    }

    /** Stops the registry, then the broker. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            registry.close();
        } finally {
            broker.close();
        }
    }

    @Override
    public String toString() {
        return "LocalStack[" + bootstrapServers() + ", " + schemaRegistryUrl() + ", " + dataDirectory() + "]";
    }

    private static TopicProvisioner.Report provision(String bootstrapServers, Settings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            TopicProvisioner.Report report =
                    new TopicProvisioner(admin, settings.timeout()).provision(settings.catalog());
            if (!report.ok()) {
                throw new DevStackException("cannot provision the catalog's topics: " + report.problems());
            }
            LOG.info("Topics created {}, reconfigured {}, unchanged {}", report.created(), report.reconfigured(),
                    report.unchanged());
            return report;
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new DevStackException("cannot provision the catalog's topics at " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }
}
