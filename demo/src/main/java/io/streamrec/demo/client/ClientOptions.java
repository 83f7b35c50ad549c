package io.streamrec.demo.client;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where a client command finds Kafka and the schema registry: the local stack's addresses by default, or a
 * cluster's. Extra client settings (security, say) come as {@code --client-set key=value}.
 */
public final class ClientOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "Kafka's bootstrap servers (default ${DEFAULT-VALUE}: the demo's or devstack's broker).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", defaultValue = "http://localhost:8081", paramLabel = "URL",
            description = "A Confluent-compatible schema registry (default ${DEFAULT-VALUE}).")
    String schemaRegistryUrl;

    @Option(names = "--client-set", paramLabel = "KEY=VALUE", description = "A Kafka client setting, e.g."
            + " security.protocol=SSL; repeatable.")
    Map<String, String> clientSettings = new HashMap<>();

    /** The Kafka client and serde settings: bootstrap servers, registry URL, then the extra settings. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put("schema.registry.url", schemaRegistryUrl);
        config.putAll(clientSettings);
        return config;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
