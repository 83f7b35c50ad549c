package io.streamrec.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in Confluent's wire format: checks the magic byte, fetches the writer schema by the id in the
 * header (cached), and decodes with Avro schema resolution into the reader schema. The reader schema is the
 * target class's schema when the deserializer was made for a generated class (so records written with an
 * older or newer compatible schema read fine), the generated class named by the writer schema when
 * {@code specific.avro.reader=true}, else the writer schema itself (a {@code GenericRecord}).
 *
 * <p>Every failure of the record itself (too short, wrong magic byte, unknown id, truncated or corrupt payload,
 * a length or count beyond the payload's end, trailing bytes, incompatible schemas) is an
 * {@link AvroSerdeException} naming topic, subject and schema id. A
 * registry that cannot be reached or answers with a server error is a {@link RegistryUnavailableException}
 * instead: the record may be fine, so callers retry it rather than refuse it. Null data (a tombstone) reads as
 * null.
 *
 * <p>Lifetime: usable after {@link #configure(Map, boolean)} or when built with a client. Thread-safe.
 *
 * @param <T> the record type
 */
public final class AvroDeserializer<T extends IndexedRecord> implements Deserializer<T> {

    private final Class<T> targetClass;
    private final Schema targetSchema;
    private SchemaRegistryClient client;
    private boolean specificReader;
    private boolean isKey;
    private final Map<Integer, GenericDatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();

    /** A generic deserializer for Kafka's reflective construction; {@link #configure} must follow. */
    public AvroDeserializer() {
        this.targetClass = null;
        this.targetSchema = null;
    }

    /** A deserializer that always returns {@code targetClass}; {@link #configure} must follow. */
    public AvroDeserializer(Class<T> targetClass) {
        this.targetClass = Objects.requireNonNull(targetClass, "targetClass");
        this.targetSchema = SpecificData.get().getSchema(targetClass);
    }

    /** A ready deserializer that shares a registry client; {@code targetClass} null means generic. */
    public AvroDeserializer(Class<T> targetClass, SchemaRegistryClient client, Map<String, ?> serdeConfig,
                            boolean isKey) {
        this.targetClass = targetClass;
        this.targetSchema = targetClass == null ? null : SpecificData.get().getSchema(targetClass);
        this.client = Objects.requireNonNull(client, "client");
        this.specificReader = new AvroSerdeConfig(serdeConfig).specificAvroReader();
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.specificReader = config.specificAvroReader();
        this.isKey = isKey;
        if (client == null) {
            client = SchemaRegistryClient.fromConfig(config);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        String subject = WireFormat.subject(topic, isKey);
        if (data.length < WireFormat.HEADER_LENGTH) {
            throw new AvroSerdeException("record of " + data.length + " bytes is too short for the Confluent wire"
                    + " format (1 magic byte + 4-byte schema id + Avro payload)", topic, subject, null, null);
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new AvroSerdeException(String.format("unknown magic byte 0x%02x (expected 0x00): the record was"
                    + " not written in the Confluent Avro wire format", data[0]), topic, subject, null, null);
        }
        int schemaId = WireFormat.schemaId(data);
        GenericDatumReader<T> reader;
        try {
            reader = readersBySchemaId.computeIfAbsent(schemaId, this::readerFor);
        } catch (SchemaRegistryException e) {
            if (e.transientFailure()) {
                throw new RegistryUnavailableException("could not fetch schema id " + schemaId + " for " + topic
                        + " from the schema registry at " + client.location() + ": " + e.getMessage(), e);
            }
            String problem = e.notFound()
                    ? "schema id " + schemaId + " is not registered in the schema registry at " + client.location()
                    : "could not fetch schema id " + schemaId + ": " + e.getMessage();
            throw new AvroSerdeException(problem, topic, subject, schemaId, e);
        } catch (AvroRuntimeException e) {
            throw new AvroSerdeException("the writer schema with id " + schemaId + " cannot be read as "
                    + describeTarget() + ": " + e.getMessage(), topic, subject, schemaId, e);
        }

        int payloadLength = data.length - WireFormat.HEADER_LENGTH;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_LENGTH, payloadLength, null);
        T record;
        try {
            // Avro allocates what a length or count claims before reading it, so a few corrupt bytes can ask for
            // gigabytes. Skipping the payload first allocates nothing and fails on any claim beyond its end.
            GenericDatumReader.skip(reader.getSchema(),
                    DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_LENGTH, payloadLength, null));
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // EOFException: truncated; AvroRuntimeException / IndexOutOfBounds / NegativeArraySize: corrupt bytes.
            throw new AvroSerdeException("Avro payload of " + payloadLength + " bytes does not decode with schema id "
                    + schemaId + " (truncated or corrupt): " + e, topic, subject, schemaId, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new AvroSerdeException("Avro payload has trailing bytes after a complete record of schema id "
                        + schemaId + " (corrupt, or written with another schema)", topic, subject, schemaId, null);
            }
        } catch (IOException e) {
            throw new AvroSerdeException("cannot check the end of the Avro payload", topic, subject, schemaId, e);
        }
        return record;
    }

    private GenericDatumReader<T> readerFor(int schemaId) {
        Schema writer = client.schemaById(schemaId);
        if (targetSchema != null) {
            return new SpecificDatumReader<>(writer, targetSchema, SpecificData.getForSchema(targetSchema));
        }
        if (specificReader) {
            SpecificData model = SpecificData.getForSchema(writer);
            Class<?> generated = model.getClass(writer);
            if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
                throw new AvroRuntimeException("specific.avro.reader=true but no generated class "
                        + writer.getFullName() + " is on the classpath");
            }
            return new SpecificDatumReader<>(writer, model.getSchema(generated), model);
        }
        return new GenericDatumReader<>(writer);
    }

    private String describeTarget() {
        return targetClass != null ? targetClass.getName() : specificReader ? "a generated class" : "GenericRecord";
    }
}
