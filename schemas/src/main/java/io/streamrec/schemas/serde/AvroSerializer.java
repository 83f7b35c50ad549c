package io.streamrec.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord} classes or {@code GenericRecord}) in Confluent's wire
 * format, registering or looking up the schema under the TopicNameStrategy subject as configured by
 * {@link AvroSerdeConfig}. A null record (a tombstone) is written as null. A registry that cannot be reached or
 * answers with a server error is a {@link RegistryUnavailableException}, any other failure an
 * {@link AvroSerdeException}.
 *
 * <p>Lifetime: usable after {@link #configure(Map, boolean)} or when built with a client. Thread-safe, as a
 * Kafka producer's serializer must be.
 *
 * @param <T> the record type
 */
public final class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private SchemaRegistryClient client;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();

    /** For Kafka's reflective construction; {@link #configure(Map, boolean)} must follow. */
    public AvroSerializer() {
    }

    /** A ready serializer that shares a registry client. */
    public AvroSerializer(SchemaRegistryClient client, Map<String, ?> serdeConfig, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.config = new AvroSerdeConfig(serdeConfig);
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = new AvroSerdeConfig(configs);
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClient.fromConfig(config);
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        String subject = WireFormat.subject(topic, isKey);
        Schema writerSchema = record.getSchema();
        int schemaId;
        try {
            if (config.useLatestVersion()) {
                RegisteredSchema latest = latestBySubject.computeIfAbsent(subject, client::latest);
                schemaId = latest.id();
                writerSchema = latest.schema();
            } else if (config.autoRegisterSchemas()) {
                schemaId = client.register(subject, writerSchema);
            } else {
                schemaId = client.lookup(subject, writerSchema);
            }
        } catch (SchemaRegistryException e) {
            String action = config.useLatestVersion() ? "fetch the latest schema"
                    : config.autoRegisterSchemas() ? "register the schema " + writerSchema.getFullName()
                    : "find the schema " + writerSchema.getFullName() + " (auto.register.schemas=false)";
            if (e.transientFailure()) {
                throw new RegistryUnavailableException("could not " + action + " for " + topic + ": "
                        + e.getMessage(), e);
            }
            throw new AvroSerdeException("could not " + action + ": " + e.getMessage(), topic, subject, null, e);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        WireFormat.writeHeader(out, schemaId);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            DatumWriter<Object> writer = record instanceof SpecificRecord
                    ? specificWriters.computeIfAbsent(writerSchema, AvroSerializer::specificWriter)
                    : genericWriters.computeIfAbsent(writerSchema, GenericDatumWriter::new);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new AvroSerdeException("could not encode " + record.getSchema().getFullName() + " with schema id "
                    + schemaId + ": " + e.getMessage(), topic, subject, schemaId, e);
        }
        return out.toByteArray();
    }

    private static DatumWriter<Object> specificWriter(Schema schema) {
        // A generated class carries its logical-type conversions (timestamp-millis as Instant) in its own model.
        return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
    }
}
