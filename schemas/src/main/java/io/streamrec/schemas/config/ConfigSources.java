package io.streamrec.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Gathers a service's configuration map from, in increasing precedence: built-in defaults, a properties file,
 * environment variables, and {@code key=value} overrides from the command line. One map holds the service's
 * own keys, Kafka's and the serde's; each config class validates its own.
 *
 * <p>Environment variables: {@code STREAMREC_} followed by the key in upper case with dots as underscores,
 * e.g. {@code STREAMREC_BOOTSTRAP_SERVERS} for {@code bootstrap.servers}, {@code STREAMREC_TOPIC_DEAD_LETTERS}
 * for {@code topic.dead.letters}. Keys therefore must not contain underscores, which none does.
 */
public final class ConfigSources {

    /** The prefix of environment variables that carry configuration. */
    public static final String ENV_PREFIX = "STREAMREC_";

    private ConfigSources() {
    }

    /** The configuration key an environment variable carries, or null when the variable carries none. */
    public static String keyOfEnvironmentVariable(String name) {
        if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
            return null;
        }
        return name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The environment variable that carries a configuration key. */
    public static String environmentVariableOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /**
     * The merged configuration.
     *
     * @param defaults    built-in defaults (lowest precedence)
     * @param file        a properties file, or null
     * @param environment the process environment (usually {@code System.getenv()})
     * @param overrides   {@code key=value} strings from the command line (highest precedence)
     */
    public static Map<String, Object> load(Map<String, ?> defaults, Path file, Map<String, String> environment,
                                           List<String> overrides) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(key -> merged.put(key, properties.getProperty(key).trim()));
        }
        environment.forEach((name, value) -> {
            String key = keyOfEnvironmentVariable(name);
            if (key != null) {
                merged.put(key, value);
            }
        });
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("an override must look like key=value, got '" + override + "'");
            }
            merged.put(override.substring(0, equals).trim(), override.substring(equals + 1).trim());
        }
        return merged;
    }
}
