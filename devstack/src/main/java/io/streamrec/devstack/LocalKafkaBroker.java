package io.streamrec.devstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka cluster (one KRaft process that is both broker and controller) running inside
 * this JVM on 127.0.0.1, from the {@code org.apache.kafka:kafka_2.13} jars.
 *
 * <p>Lifetime: {@link #start(Settings)} formats the data directory if it was never formatted (a formatted directory
 * is reused as it is: same cluster id, same topics and records), starts the server and returns once the broker
 * answers an Admin {@code describeCluster}; {@link #close()} shuts it down and waits for it. The data directory
 * stays on disk; deleting it is the caller's business. One broker per data directory: Kafka locks it.
 *
 * <p>Thread-safety: the accessors are safe from any thread; {@link #close()} is idempotent and may be called from a
 * shutdown hook.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    /**
     * {@code message.max.bytes} and {@code replica.fetch.max.bytes} of the broker: a 64 MiB model release
     * ({@code TopicCatalog.MODELS_MAX_MESSAGE_BYTES}) plus room for the record batch and Avro framing.
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024 + 1024 * 1024;

    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    private static final int FREE_PORT_ATTEMPTS = 3;

    /**
     * Where and how to run a broker. Immutable; the {@code with...} methods return changed copies.
     *
     * @param dataDirectory  directory for the server properties and the Kafka log directory; created if missing,
     *                       reused (with its data) if it already holds a formatted broker
     * @param brokerPort     PLAINTEXT client port, 0 for a free one
     * @param controllerPort KRaft controller port, 0 for a free one
     * @param overrides      extra broker properties, applied last (they win over the defaults of this class)
     * @param startupTimeout how long to wait for the broker to answer clients
     */
    public record Settings(Path dataDirectory, int brokerPort, int controllerPort, Map<String, String> overrides,
                           Duration startupTimeout) {
        public Settings {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            Ports.requireValid(brokerPort, "broker");
            Ports.requireValid(controllerPort, "controller");
            if (brokerPort != 0 && brokerPort == controllerPort) {
                throw new IllegalArgumentException("broker and controller ports must differ, both are " + brokerPort);
            }
            overrides = Map.copyOf(overrides);
        }

        /** Free ports, no overrides, a 60 s startup timeout. */
        public static Settings in(Path dataDirectory) {
            return new Settings(dataDirectory, 0, 0, Map.of(), Duration.ofSeconds(60));
        }

        public Settings withBrokerPort(int port) {
            return new Settings(dataDirectory, port, controllerPort, overrides, startupTimeout);
        }

        public Settings withControllerPort(int port) {
            return new Settings(dataDirectory, brokerPort, port, overrides, startupTimeout);
        }

        /** These settings plus one broker property (e.g. {@code auto.create.topics.enable=false}). */
        public Settings withOverride(String key, String value) {
            Map<String, String> changed = new LinkedHashMap<>(overrides);
            changed.put(key, value);
            return new Settings(dataDirectory, brokerPort, controllerPort, changed, startupTimeout);
        }

        public Settings withStartupTimeout(Duration timeout) {
            return new Settings(dataDirectory, brokerPort, controllerPort, overrides, timeout);
        }
    }

    private final Path dataDirectory;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private final Duration startupTime;
    private final Object closeLock = new Object();
    private KafkaRaftServer server; // guarded by closeLock; null once closed

    private LocalKafkaBroker(Path dataDirectory, int brokerPort, int controllerPort, String clusterId,
                             Duration startupTime, KafkaRaftServer server) {
        this.dataDirectory = dataDirectory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.startupTime = startupTime;
        this.server = server;
    }

    /** Starts a broker with free ports in the given directory. */
    public static LocalKafkaBroker start(Path dataDirectory) {
        return start(Settings.in(dataDirectory));
    }

    /**
     * Starts a broker and waits until it serves clients.
     *
     * @throws DevStackException when a configured port is busy, the directory is unusable, or the broker does not
     *                           become ready within the startup timeout; the message says which
     */
    public static LocalKafkaBroker start(Settings settings) {
        Path dataDirectory = prepareDirectory(settings.dataDirectory());
        boolean freePorts = settings.brokerPort() == 0 || settings.controllerPort() == 0;
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(settings, dataDirectory);
            } catch (PortRaceException e) {
                // A free port we picked was taken between picking and binding: pick again.
                if (!freePorts || attempt >= FREE_PORT_ATTEMPTS) {
                    throw new DevStackException(e.getMessage(), e.getCause());
                }
                LOG.info("Port taken while the broker started ({}); retrying with other free ports", e.getMessage());
            }
        }
    }

    private static LocalKafkaBroker startOnce(Settings settings, Path dataDirectory) {
        long started = System.nanoTime();
        int brokerPort = choosePort(settings.brokerPort(), "Kafka broker");
        int controllerPort = settings.controllerPort() != 0
                ? choosePort(settings.controllerPort(), "Kafka controller")
                : freePortOtherThan(brokerPort);
        Path logDirectory = dataDirectory.resolve("kafka-logs");
        requireUnlocked(logDirectory);
        Properties properties = serverProperties(settings, logDirectory, brokerPort, controllerPort);
        Path propertiesFile = dataDirectory.resolve("server.properties");
        writeProperties(properties, propertiesFile);

        String clusterId = existingClusterId(logDirectory);
        boolean formatted = clusterId == null;
        if (formatted) {
            clusterId = Uuid.randomUuid().toString();
            format(clusterId, propertiesFile);
        }
        long serverStarting = System.nanoTime();

        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new DevStackException("Kafka broker cannot use its configuration or data in " + dataDirectory + ": "
                    + rootMessage(e), e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            stopQuietly(server);
            if (hasCause(e, BindException.class)) {
                throw new PortRaceException("a broker port (" + brokerPort + " or " + controllerPort
                        + ") on 127.0.0.1 is already in use", e);
            }
            throw new DevStackException("Kafka broker failed to start with data in " + dataDirectory + ": "
                    + rootMessage(e), e);
        }
        long serverStarted = System.nanoTime();
        String bootstrap = Ports.LOOPBACK_HOST + ":" + brokerPort;
        try {
            awaitReady(bootstrap, settings.startupTimeout());
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw e;
        }
        long ready = System.nanoTime();
        Duration startupTime = Duration.ofNanos(ready - started);
        LOG.info("Kafka broker ready at {} (controller port {}, cluster {}) in {} ms ({}server start {} ms, first"
                        + " answer {} ms), data in {}", bootstrap, controllerPort, clusterId, startupTime.toMillis(),
                formatted ? "format " + TimeUnit.NANOSECONDS.toMillis(serverStarting - started) + " ms, " : "",
                TimeUnit.NANOSECONDS.toMillis(serverStarted - serverStarting),
                TimeUnit.NANOSECONDS.toMillis(ready - serverStarted), dataDirectory);
        return new LocalKafkaBroker(dataDirectory, brokerPort, controllerPort, clusterId, startupTime, server);
    }

    /** {@code 127.0.0.1:<port>}, the value for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Ports.LOOPBACK_HOST + ":" + brokerPort;
    }

    public int port() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The KRaft cluster id, kept in the data directory's {@code meta.properties} across restarts. */
    public String clusterId() {
        return clusterId;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** How long {@link #start(Settings)} took, from formatting to the first answered client request. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Shuts the broker down and waits until it has stopped. Idempotent. */
    @Override
    public void close() {
        KafkaRaftServer toStop;
        synchronized (closeLock) {
            toStop = server;
            server = null;
        }
        if (toStop != null) {
            long started = System.nanoTime();
            toStop.shutdown();
            toStop.awaitShutdown();
            LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapServers() + ", " + dataDirectory + "]";
    }

    static Properties serverProperties(Settings settings, Path logDirectory, int brokerPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        // A static voter set: `format --standalone` (a dynamic quorum) would conflict with it.
        p.put("controller.quorum.voters", NODE_ID + "@" + Ports.LOOPBACK_HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + Ports.LOOPBACK_HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + Ports.LOOPBACK_HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + Ports.LOOPBACK_HOST + ":" + brokerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDirectory.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Internal topics default to replication factor 3: on one broker, consumer groups, transactions and
        // Kafka Streams would then wait forever for replicas that cannot exist, without an error.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // 50 partitions each (the defaults) make the first group or transaction noticeably slower on one node.
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Model releases are tens of MB; the models topic allows 64 MiB and the broker must too.
        p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        // The cleaner's default 128 MiB dedupe buffer is sized for production; compacted dev topics are tiny.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.putAll(settings.overrides());
        Properties properties = new Properties();
        properties.putAll(p);
        return properties;
    }

    /** The cluster id of an already formatted log directory, or null when it was never formatted. */
    static String existingClusterId(Path logDirectory) {
        Path meta = logDirectory.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            properties.load(in);
        } catch (IOException e) {
            throw new DevStackException("cannot read " + meta + ": " + e.getMessage(), e);
        }
        String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new DevStackException(meta + " has no cluster.id; the directory is not a usable Kafka log"
                    + " directory (delete it to start afresh)");
        }
        return clusterId;
    }

    /**
     * Fails when another broker, in this JVM or another process, holds the directory's lock. Kafka would find out
     * too, but only after the new server's controller has half started, and a second in-process server sharing
     * the node id then leaves the running broker unable to shut down.
     */
    static void requireUnlocked(Path logDirectory) {
        Path lockFile = logDirectory.resolve(".lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        String inUse = "data directory " + logDirectory + " is in use by another running Kafka broker (in this or"
                + " another process); stop it or choose another data directory";
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new DevStackException(inUse);
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new DevStackException(inUse, e);
        } catch (IOException e) {
            throw new DevStackException("cannot check the lock of " + logDirectory + ": " + e.getMessage(), e);
        }
    }

    private static Path prepareDirectory(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DevStackException("cannot use data directory " + directory + ": " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new DevStackException("data directory " + directory + " is not writable");
        }
        return directory;
    }

    private static int choosePort(int configured, String role) {
        if (configured == 0) {
            return Ports.freePort();
        }
        Ports.requireFree(configured, role);
        return configured;
    }

    private static int freePortOtherThan(int taken) {
        int port = Ports.freePort();
        while (port == taken) {
            port = Ports.freePort();
        }
        return port;
    }

    private static void writeProperties(Properties properties, Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "Written by streamrec devstack on every start; edits are overwritten");
        } catch (IOException e) {
            throw new DevStackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void format(String clusterId, Path propertiesFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            // execute(...) reports through its exit code; main(...) would call Exit and end the JVM.
            exitCode = StorageTool$.MODULE$.execute(
                    new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new DevStackException("formatting Kafka storage with " + propertiesFile + " failed: "
                    + rootMessage(e), e);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        if (exitCode != 0) {
            throw new DevStackException("formatting Kafka storage with " + propertiesFile + " failed (exit code "
                    + exitCode + "): " + text);
        }
        LOG.debug("Formatted Kafka storage: {}", text);
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(50);
            }
            throw new DevStackException("Kafka broker at " + bootstrap + " did not answer describeCluster within "
                    + timeout + (last == null ? "" : ": " + rootMessage(last)), last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for the Kafka broker at " + bootstrap, e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Shutting down a broker that failed to start also failed", e);
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t) || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** A free port was taken by someone else between choosing and binding it. */
    private static final class PortRaceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortRaceException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
