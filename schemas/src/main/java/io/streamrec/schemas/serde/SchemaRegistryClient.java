package io.streamrec.schemas.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * What the Avro serdes need from a schema registry. {@link RestSchemaRegistryClient} speaks Confluent's REST
 * API to a real registry; {@code InMemorySchemaRegistryClient}, in schemas' test-jar, keeps schemas in the
 * process, for {@code TopologyTestDriver} tests that run without a broker. Implementations are thread-safe.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it if registered) and returns its global id. */
    int register(String subject, Schema schema);

    /**
     * The id of a schema already registered under the subject; a {@link SchemaRegistryException} with
     * {@link SchemaRegistryException#notFound()} when it is not.
     */
    int lookup(String subject, Schema schema);

    /** The schema with this global id; a {@link SchemaRegistryException} when unknown or unreachable. */
    Schema schemaById(int id);

    /** The subject's latest version. */
    default RegisteredSchema latest(String subject) {
        return version(subject, "latest");
    }

    /** One version of a subject: a number, or {@code latest}. */
    RegisteredSchema version(String subject, String version);

    /** Whether the schema may be registered under the subject, checked against its latest version. */
    CompatibilityResult checkCompatibility(String subject, Schema schema);

    /** Where the registry is, for error messages. */
    String location();

    /** A client configured from the serde keys ({@code schema.registry.url}, basic auth, timeout). */
    static SchemaRegistryClient fromConfig(AvroSerdeConfig config) {
        return RestSchemaRegistryClient.fromConfig(config);
    }

    /**
     * The answer of a compatibility check. Immutable.
     *
     * @param compatible whether the schema may be registered
     * @param messages   the registry's reasons, when it gives any
     */
    record CompatibilityResult(boolean compatible, List<String> messages) {
        public CompatibilityResult {
            messages = List.copyOf(messages);
        }
    }
}
