package io.streamrec.deploy;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.app.StreamsAppSettings;
import io.streamrec.schemas.config.ConfigSources;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.trainer.release.SigningKeys;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration keys each program accepts, taken from the code: the app's own {@code ConfigDef}, the
 * serde's, Kafka Streams' and the Kafka clients' (with the prefixes Kafka Streams forwards to its clients
 * and internal topics). A deployment's environment is turned into a configuration map by the code's own
 * {@link ConfigSources}, so the {@code STREAMREC_*} naming rule is the code's, too. Stateless.
 */
final class ConfigKeys {

    private ConfigKeys() {
    }

    /** The configuration map a program sees for this environment, built as the program builds it. */
    static Map<String, Object> fromEnvironment(Map<String, String> environment) {
        return ConfigSources.load(Map.of(), null, environment, List.of());
    }

    /** Every key the program reads or forwards to a Kafka client it runs. */
    static Set<String> known(Program program) {
        Set<String> keys = new HashSet<>();
        switch (program) {
            case STREAMS_APP -> {
                keys.addAll(StreamsAppConfig.configDef().names());
                keys.addAll(AvroSerdeConfig.configDef().names());
                keys.addAll(StreamsConfig.configDef().names());
                keys.addAll(clientKeys());
                ConsumerConfig.configNames().forEach(key -> {
                    keys.add(StreamsConfig.consumerPrefix(key));
                    keys.add(StreamsConfig.mainConsumerPrefix(key));
                    keys.add(StreamsConfig.restoreConsumerPrefix(key));
                    keys.add(StreamsConfig.globalConsumerPrefix(key));
                });
                ProducerConfig.configNames().forEach(key -> keys.add(StreamsConfig.producerPrefix(key)));
                AdminClientConfig.configNames().forEach(key -> keys.add(StreamsConfig.adminClientPrefix(key)));
                topicConfigNames().forEach(key -> keys.add(StreamsConfig.topicPrefix(key)));
                // The app derives application.server from http.advertised.host and refuses it (StreamsApp).
                keys.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
            }
            case TRAINER_SERVE, TRAINER_ONCE -> {
                keys.addAll(TrainerServiceConfig.configDef().names());
                keys.addAll(AvroSerdeConfig.configDef().names());
                keys.addAll(clientKeys());
            }
            case PROVISION_TOPICS -> keys.addAll(AdminClientConfig.configNames());
            case TRAINER_KEYGEN, GENERATE -> {
                // keygen and generate read no configuration, only flags
            }
            default -> throw new IllegalStateException(program.name());
        }
        return keys;
    }

    /**
     * Why an environment variable set for a program is wrong, or empty when it carries a key the program
     * knows (or is no configuration variable at all, e.g. JAVA_OPTS or POD_NAME).
     */
    static Optional<String> problem(Program program, String variable) {
        String key = ConfigSources.keyOfEnvironmentVariable(variable);
        if (key == null) {
            return Optional.empty();
        }
        if ((program == Program.TRAINER_SERVE || program == Program.TRAINER_ONCE)
                && variable.equals(SigningKeys.KEY_ENV)) {
            return Optional.empty(); // the signing key's PEM text, read by SigningKeys itself
        }
        if (program == Program.STREAMS_APP && key.equals(StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            return Optional.of(variable + " sets application.server, which the streams app refuses: it derives it"
                    + " from " + StreamsAppConfig.HTTP_ADVERTISED_HOST_CONFIG);
        }
        if (!known(program).contains(key)) {
            return Optional.of(variable + " carries '" + key + "', which is no configuration key of " + program
                    + " (its own ConfigDef, the serde's, Kafka Streams' or the Kafka clients')");
        }
        return Optional.empty();
    }

    /**
     * Builds the program's configuration classes from the map, as the program does at start-up: throws the
     * code's {@code ConfigException} for a bad value or a missing required key.
     */
    static void validateValues(Program program, Map<String, Object> configuration) {
        switch (program) {
            case STREAMS_APP -> {
                Map<String, Object> merged = StreamsAppSettings.defaults();
                merged.putAll(configuration);
                new StreamsAppConfig(merged);
                new AvroSerdeConfig(merged);
                Properties properties = new Properties();
                properties.putAll(merged);
                new StreamsConfig(properties);
            }
            case TRAINER_SERVE, TRAINER_ONCE -> {
                new TrainerServiceConfig(configuration);
                new AvroSerdeConfig(configuration);
                new AdminClientConfig(new HashMap<>(configuration));
            }
            case PROVISION_TOPICS, TRAINER_KEYGEN, GENERATE -> {
                // configured by flags
            }
            default -> throw new IllegalStateException(program.name());
        }
    }

    /**
     * The ports the program binds with this configuration (its config class's values or defaults), by key, the
     * API's ({@code http.port}) first.
     */
    static Map<String, Integer> httpPorts(Program program, Map<String, Object> configuration) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        switch (program) {
            case STREAMS_APP -> {
                StreamsAppConfig config = new StreamsAppConfig(configuration);
                ports.put(StreamsAppConfig.HTTP_PORT_CONFIG, config.httpPort());
                ports.put(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, config.httpManagementPort());
            }
            case TRAINER_SERVE -> ports.put(TrainerServiceConfig.HTTP_PORT_CONFIG,
                    new TrainerServiceConfig(configuration).httpPort());
            default -> throw new IllegalArgumentException(program + " serves no HTTP");
        }
        return ports;
    }

    /**
     * The key of the port probes and scrapes must use: the streams app's management listener, whose threads the
     * API's traffic cannot take; the trainer's only port.
     */
    static String probePortKey(Program program) {
        return switch (program) {
            case STREAMS_APP -> StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG;
            case TRAINER_SERVE -> TrainerServiceConfig.HTTP_PORT_CONFIG;
            default -> throw new IllegalArgumentException(program + " serves no HTTP");
        };
    }

    /**
     * A configured value, or the default of the config class that defines the key (for the streams app: its own
     * ConfigDef, then Kafka Streams'), or null when neither has one.
     */
    static String value(Program program, Map<String, Object> configuration, String key) {
        Object value = configuration.get(key);
        if (value != null) {
            return value.toString();
        }
        Object fallback = switch (program) {
            case STREAMS_APP -> StreamsAppConfig.configDef().defaultValues().containsKey(key)
                    ? StreamsAppConfig.configDef().defaultValues().get(key)
                    : StreamsConfig.configDef().defaultValues().get(key);
            case TRAINER_SERVE, TRAINER_ONCE -> TrainerServiceConfig.configDef().defaultValues().get(key);
            default -> null;
        };
        return fallback == null ? null : fallback.toString();
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new HashSet<>();
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    /** Topic-level keys ({@code TopicConfig.*_CONFIG}), which Kafka Streams applies with the topic. prefix. */
    static Set<String> topicConfigNames() {
        Set<String> names = new HashSet<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && field.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}
