package io.streamrec.schemas.serde;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for Avro records in Confluent's wire format, usable from plain clients and from
 * Kafka Streams. Build one per record type:
 *
 * <pre>{@code
 * Serde<ClickEvent> clicks = AvroSerde.specific(ClickEvent.class);
 * clicks.configure(Map.of("schema.registry.url", "http://127.0.0.1:8081"), false);
 * }</pre>
 *
 * or, to share one registry client (and its caches) between serdes, {@link #specific(Class,
 * SchemaRegistryClient, Map, boolean)}. Thread-safe once configured.
 *
 * @param <T> the record type
 */
public final class AvroSerde<T extends IndexedRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer) {
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /** A serde for one generated class; {@link #configure(Map, boolean)} must follow. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type) {
        return new AvroSerde<>(new AvroSerializer<>(), new AvroDeserializer<>(type));
    }

    /** A ready serde for one generated class over a shared client. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type, SchemaRegistryClient client,
                                                                   Map<String, ?> serdeConfig, boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(client, serdeConfig, isKey),
                new AvroDeserializer<>(type, client, serdeConfig, isKey));
    }

    /** A serde for GenericRecords (any schema); {@link #configure(Map, boolean)} must follow. */
    public static AvroSerde<GenericRecord> generic() {
        return new AvroSerde<>(new AvroSerializer<>(), new AvroDeserializer<>());
    }

    /** A ready serde for GenericRecords over a shared client. */
    public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client, Map<String, ?> serdeConfig,
                                                   boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(client, serdeConfig, isKey),
                new AvroDeserializer<>(null, client, serdeConfig, isKey));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
