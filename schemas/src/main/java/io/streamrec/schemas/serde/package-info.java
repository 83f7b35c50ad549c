/**
 * Avro serdes in Confluent's wire format ({@link io.streamrec.schemas.serde.WireFormat}) and the schema
 * registry client they use: {@link io.streamrec.schemas.serde.AvroSerde} for Kafka clients and Kafka Streams,
 * configured with Confluent's keys ({@link io.streamrec.schemas.serde.AvroSerdeConfig}), over a
 * {@link io.streamrec.schemas.serde.SchemaRegistryClient} ({@link io.streamrec.schemas.serde.RestSchemaRegistryClient}
 * in production; schemas' test-jar has an in-memory one for tests without a broker).
 *
 * <p>Invariants: a payload is checked against its writer schema before Avro decodes it (package-private
 * {@code PayloadBounds}), so a record can never make the decoder allocate what it merely claims; a failure of
 * the record is an {@link io.streamrec.schemas.serde.AvroSerdeException}, a registry that cannot answer a
 * {@link io.streamrec.schemas.serde.RegistryUnavailableException} (retry the record, never dead-letter it).
 * Serializers, deserializers and registry clients are thread-safe once configured; registry clients hold no
 * resources that need closing.
 *
 * <p>Used by every module that reads or writes a topic.
 */
package io.streamrec.schemas.serde;
