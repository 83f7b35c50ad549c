package io.streamrec.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrec.avro.ClickEvent;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.schemas.serde.AvroSerdeException;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topic contract end to end on a real broker and registry: ClickEvents written through the serde are read
 * back by the serde, and by a consumer written independently from Confluent's documented wire format and REST
 * API; schema ids survive a registry restart; every kind of bad bytes gives a clear error.
 */
@ExtendWith(LocalStackExtension.class)
class WireFormatContractIT {

    private static final Duration POLL = Duration.ofSeconds(20);

    private static String newTopic(LocalStack stack) throws Exception {
        String topic = "contract-clicks-" + UUID.randomUUID();
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        return topic;
    }

    private static List<ClickEvent> clicks(int count) {
        List<ClickEvent> clicks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clicks.add(ClickEvent.newBuilder()
                    .setUserId("user-" + (i % 7)).setItemId("item-" + i).setEventType(i % 2 == 0 ? "view" : "purchase")
                    .setEventTime(Instant.ofEpochMilli(1_764_000_000_000L + i))
                    .setSessionId(i % 3 == 0 ? null : "session-" + i).setClient("it").setValue(i % 5 == 0 ? null : i * 0.5)
                    .build());
        }
        return clicks;
    }

    private static Map<String, Object> serdeConfig(LocalStack stack) {
        return Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, stack.schemaRegistryUrl());
    }

    private static void produce(LocalStack stack, String topic, List<ClickEvent> clicks) throws Exception {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class)) {
            serde.configure(config, false);
            try (KafkaProducer<String, ClickEvent> producer =
                         new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
                for (ClickEvent click : clicks) {
                    producer.send(new ProducerRecord<>(topic, click.getUserId(), click)).get();
                }
            }
        }
    }

    private static <V> List<ConsumerRecord<String, V>> consume(LocalStack stack, String topic,
                                                               org.apache.kafka.common.serialization.Deserializer<V> values,
                                                               int expected) {
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "contract-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + POLL.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    @Test
    void clicksRoundTripThroughTheBrokerWithTheSerde(LocalStack stack) throws Exception {
        String topic = newTopic(stack);
        List<ClickEvent> sent = clicks(25);
        produce(stack, topic, sent);

        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class)) {
            serde.configure(serdeConfig(stack), false);
            List<ClickEvent> received = consume(stack, topic, serde.deserializer(), sent.size()).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    @Test
    void anIndependentConsumerDecodesThemFromTheWireFormatAndTheRestApi(LocalStack stack) throws Exception {
        String topic = newTopic(stack);
        List<ClickEvent> sent = clicks(10);
        produce(stack, topic, sent);

        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        Map<Integer, Schema> schemas = new HashMap<>();
        Map<String, GenericRecord> decodedByItem = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : consume(stack, topic, new ByteArrayDeserializer(), sent.size())) {
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            assertThat(bytes.get()).as("magic byte").isZero();
            int id = bytes.getInt();
            Schema writer = schemas.computeIfAbsent(id, schemaId -> {
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                    URI.create(stack.schemaRegistryUrl() + "/schemas/ids/" + schemaId))
                            .header("Accept", "application/vnd.schemaregistry.v1+json").build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).isEqualTo(200);
                    return new Schema.Parser().parse(json.readTree(answer.body()).get("schema").asText());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            byte[] payload = Arrays.copyOfRange(record.value(), 5, record.value().length);
            GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
                    .read(null, DecoderFactory.get().binaryDecoder(payload, null));
            decodedByItem.put(decoded.get("itemId").toString(), decoded);
        }
        assertThat(schemas).hasSize(1);
        assertThat(decodedByItem).hasSize(sent.size());
        for (ClickEvent expected : sent) {
            GenericRecord actual = decodedByItem.get(expected.getItemId());
            assertThat(actual.get("userId")).hasToString(expected.getUserId());
            assertThat(actual.get("itemId")).hasToString(expected.getItemId());
            assertThat(actual.get("eventType")).hasToString(expected.getEventType());
            assertThat(actual.get("eventTime")).isEqualTo(expected.getEventTime().toEpochMilli());
            assertThat(actual.get("value")).isEqualTo(expected.getValue());
        }
    }

    @Test
    void schemaIdsAreStableAcrossARegistryRestart(LocalStack stack) throws Exception {
        String topic = newTopic(stack);
        SchemaRegistryClient before = RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl());
        int id = before.register(topic + "-value", ClickEvent.getClassSchema());
        produce(stack, topic, clicks(3));

        stack.restartSchemaRegistry();

        SchemaRegistryClient after = RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()); // empty cache
        assertThat(after.schemaById(id)).isEqualTo(ClickEvent.getClassSchema());
        assertThat(after.register(topic + "-value", ClickEvent.getClassSchema())).isEqualTo(id);
        assertThat(after.latest(topic + "-value").version()).isEqualTo(1);
        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class)) {
            serde.configure(serdeConfig(stack), false);
            assertThat(consume(stack, topic, serde.deserializer(), 3)).hasSize(3);
        }
    }

    @Test
    void anOptionalFieldEvolvesThroughTheRegistryAndARequiredOneIsRefused(LocalStack stack) throws Exception {
        String topic = newTopic(stack);
        produce(stack, topic, clicks(1)); // registers v1 under <topic>-value

        Schema v2 = withField("{\"name\": \"referrer\", \"type\": [\"null\", \"string\"], \"default\": null}");
        GenericRecord newer = new GenericData.Record(v2);
        newer.put("userId", "user-0");
        newer.put("itemId", "item-1");
        newer.put("eventType", "click");
        newer.put("eventTime", 1_764_000_000_001L);
        newer.put("referrer", "newsletter");
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        try (AvroSerde<GenericRecord> generic = AvroSerde.generic()) {
            generic.configure(config, false);
            try (KafkaProducer<String, GenericRecord> producer =
                         new KafkaProducer<>(config, new StringSerializer(), generic.serializer())) {
                producer.send(new ProducerRecord<>(topic, "user-0", newer)).get();
            }

            Schema v3 = withField("{\"name\": \"referrer\", \"type\": \"string\"}");
            GenericRecord incompatible = new GenericData.Record(v3);
            v3.getFields().forEach(field -> incompatible.put(field.name(), newer.get(field.name())));
            incompatible.put("referrer", "x");
            assertThatThrownBy(() -> generic.serializer().serialize(topic, incompatible))
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("409")
                    .hasMessageContaining("subject=" + topic + "-value");
        }

        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class)) {
            serde.configure(serdeConfig(stack), false);
            List<ClickEvent> read = consume(stack, topic, serde.deserializer(), 2).stream()
                    .map(ConsumerRecord::value).toList();
            assertThat(read).extracting(ClickEvent::getItemId).containsExactlyInAnyOrder("item-0", "item-1");
        }
        assertThat(RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()).latest(topic + "-value").version())
                .isEqualTo(2);
    }

    @Test
    void everyKindOfBadBytesGivesAnErrorNamingTopicSubjectAndId(LocalStack stack) throws Exception {
        String topic = newTopic(stack);
        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class)) {
            serde.configure(serdeConfig(stack), false);
            byte[] good = serde.serializer().serialize(topic, clicks(1).get(0));
            int id = ByteBuffer.wrap(good, 1, 4).getInt();

            byte[] truncated = Arrays.copyOf(good, good.length - 4);
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, truncated))
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("truncated or corrupt")
                    .hasMessageContaining("topic=" + topic)
                    .hasMessageContaining("subject=" + topic + "-value")
                    .hasMessageContaining("schemaId=" + id);

            byte[] trailing = Arrays.copyOf(good, good.length + 3);
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, trailing))
                    .isInstanceOf(AvroSerdeException.class).hasMessageContaining("trailing bytes");

            byte[] unknownId = good.clone();
            ByteBuffer.wrap(unknownId).putInt(1, 987_654);
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, unknownId))
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("schema id 987654 is not registered")
                    .hasMessageContaining("schemaId=987654");

            byte[] wrongMagic = good.clone();
            wrongMagic[0] = 1;
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, wrongMagic))
                    .isInstanceOf(AvroSerdeException.class).hasMessageContaining("unknown magic byte 0x01");

            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, new byte[] {0, 0}))
                    .isInstanceOf(AvroSerdeException.class).hasMessageContaining("too short");
        }
    }

    private static Schema withField(String fieldJson) {
        String v1 = ClickEvent.getClassSchema().toString();
        return new Schema.Parser().parse(v1.substring(0, v1.lastIndexOf(']')) + "," + fieldJson + "]}");
    }
}
