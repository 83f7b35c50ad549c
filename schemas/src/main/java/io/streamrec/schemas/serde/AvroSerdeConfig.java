package io.streamrec.schemas.serde;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the Avro serde and its schema registry client. The keys are Confluent's, with Confluent's
 * meaning and defaults, so a configuration written for Confluent's {@code KafkaAvroSerializer} works here and
 * the other way round. The one streamrec-specific key is {@value #REQUEST_TIMEOUT_MS_CONFIG}.
 *
 * <p>Kafka clients and Kafka Streams pass their whole configuration to serdes, so these keys sit beside
 * {@code bootstrap.servers} and friends; unknown keys are ignored. Immutable.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    private static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of a Confluent-compatible"
            + " schema registry (Confluent, Apicurio's ccompat API, Karapace, Redpanda, or the devstack's). The"
            + " client tries them in order when one is unreachable. Credentials may be embedded as"
            + " http://user:password@host:port when " + "basic.auth.credentials.source=URL.";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    private static final String AUTO_REGISTER_SCHEMAS_DOC = "Serializer: register the record's schema under the"
            + " subject when it is not registered yet. When false, the schema must already be registered (it is"
            + " looked up), unless use.latest.version is true.";

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    private static final String USE_LATEST_VERSION_DOC = "Serializer: write with the subject's latest registered"
            + " schema and its id instead of the record's own schema. Meant for auto.register.schemas=false"
            + " deployments where schemas are registered by a pipeline; the latest schema must list the record's"
            + " fields in the same order.";

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    private static final String SPECIFIC_AVRO_READER_DOC = "Deserializer without a target class: return"
            + " generated SpecificRecord classes (looked up by the writer schema's full name) instead of"
            + " GenericRecord. A serde made for one class always returns that class.";

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";
    private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC = "Where HTTP basic-auth credentials for the"
            + " registry come from: URL (the user info of schema.registry.url, if any) or USER_INFO"
            + " (basic.auth.user.info).";

    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
    /** Confluent accepts this prefixed alias of {@link #BASIC_AUTH_USER_INFO_CONFIG} too. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";
    private static final String BASIC_AUTH_USER_INFO_DOC = "user:password for the registry when"
            + " basic.auth.credentials.source=USER_INFO.";

    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
    /** Confluent's class name of the only strategy this serde implements. */
    public static final String TOPIC_NAME_STRATEGY = "io.confluent.kafka.serializers.subject.TopicNameStrategy";
    private static final String SUBJECT_NAME_STRATEGY_DOC = "How the subject is derived from the topic. Only"
            + " TopicNameStrategy (subject = <topic>-key or <topic>-value) is supported; the key exists so that"
            + " Confluent configurations that name it explicitly are accepted.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    private static final String REQUEST_TIMEOUT_MS_DOC = "streamrec-specific: timeout of one HTTP request to the"
            + " registry (connect plus response). A lookup that misses the cache blocks the calling thread for"
            + " at most this long per URL.";

    /** Values of {@link #BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}. */
    public enum CredentialsSource { URL, USER_INFO }

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString() {
                        @Override
                        public void ensureValid(String name, Object value) {
                            @SuppressWarnings("unchecked")
                            List<String> urls = (List<String>) value;
                            if (urls == null || urls.isEmpty()) {
                                throw new ConfigException(name, value, "at least one registry URL is required");
                            }
                            for (String url : urls) {
                                parseUrl(name, url);
                            }
                        }

                        @Override
                        public String toString() {
                            return "non-empty list of http(s) URLs";
                        }
                    },
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, false, Importance.LOW, SPECIFIC_AVRO_READER_DOC)
            .define(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, Type.STRING, CredentialsSource.URL.name(),
                    ConfigDef.ValidString.in(CredentialsSource.URL.name(), CredentialsSource.USER_INFO.name()),
                    Importance.MEDIUM, BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
            .define(BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.MEDIUM, BASIC_AUTH_USER_INFO_DOC)
            .define(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG, Type.PASSWORD, "", Importance.LOW,
                    "Alias of " + BASIC_AUTH_USER_INFO_CONFIG + ".")
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, TOPIC_NAME_STRATEGY,
                    ConfigDef.ValidString.in(TOPIC_NAME_STRATEGY, "TopicNameStrategy"),
                    Importance.LOW, SUBJECT_NAME_STRATEGY_DOC)
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING, TOPIC_NAME_STRATEGY,
                    ConfigDef.ValidString.in(TOPIC_NAME_STRATEGY, "TopicNameStrategy"),
                    Importance.LOW, SUBJECT_NAME_STRATEGY_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, 10_000, ConfigDef.Range.atLeast(1),
                    Importance.LOW, REQUEST_TIMEOUT_MS_DOC);

    public AvroSerdeConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals, false);
        if (credentialsSource() == CredentialsSource.USER_INFO && userInfoFromConfig().isEmpty()) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, CredentialsSource.USER_INFO.name(),
                    "USER_INFO needs " + BASIC_AUTH_USER_INFO_CONFIG + "=user:password");
        }
    }

    /** The definition of every key, for documentation generators. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** Registry base URLs without user info, in configured order. */
    public List<URI> registryUrls() {
        return getList(SCHEMA_REGISTRY_URL_CONFIG).stream()
                .map(url -> parseUrl(SCHEMA_REGISTRY_URL_CONFIG, url))
                .map(AvroSerdeConfig::withoutUserInfo)
                .toList();
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
    }

    public CredentialsSource credentialsSource() {
        return CredentialsSource.valueOf(getString(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG));
    }

    public int requestTimeoutMs() {
        return getInt(REQUEST_TIMEOUT_MS_CONFIG);
    }

    /** The {@code user:password} to send, if any, according to the credentials source. */
    public Optional<String> basicAuthUserInfo() {
        if (credentialsSource() == CredentialsSource.USER_INFO) {
            return userInfoFromConfig();
        }
        return getList(SCHEMA_REGISTRY_URL_CONFIG).stream()
                .map(url -> parseUrl(SCHEMA_REGISTRY_URL_CONFIG, url).getRawUserInfo())
                .filter(info -> info != null && !info.isEmpty())
                .map(info -> java.net.URLDecoder.decode(info, java.nio.charset.StandardCharsets.UTF_8))
                .findFirst();
    }

    private Optional<String> userInfoFromConfig() {
        for (String key : List.of(BASIC_AUTH_USER_INFO_CONFIG, SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO_CONFIG)) {
            Password password = getPassword(key);
            if (password != null && !password.value().isEmpty()) {
                return Optional.of(password.value());
            }
        }
        return Optional.empty();
    }

    private static URI parseUrl(String key, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key, url, "not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new ConfigException(key, url, "registry URLs must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(key, url, "registry URL has no host");
        }
        return uri;
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), path, null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot rebuild " + uri, e);
        }
    }
}
