package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.InteractionKey;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void idsAreGlobalPerSchemaAndVersionsPerSubject() {
        int clicks = registry.register("clicks-value", ClickEvent.getClassSchema());
        int again = registry.register("clicks-value", ClickEvent.getClassSchema());
        int elsewhere = registry.register("archive-value", ClickEvent.getClassSchema());
        int key = registry.register("interactions-key", InteractionKey.getClassSchema());

        assertThat(again).isEqualTo(clicks);
        assertThat(elsewhere).isEqualTo(clicks);
        assertThat(key).isNotEqualTo(clicks);
        assertThat(registry.latest("clicks-value").version()).isEqualTo(1);
        assertThat(registry.schemaById(key)).isEqualTo(InteractionKey.getClassSchema());
        assertThat(registry.lookup("archive-value", ClickEvent.getClassSchema())).isEqualTo(clicks);
    }

    @Test
    void unknownThingsAreNotFoundAndIncompatibleSchemasRefused() {
        assertThatThrownBy(() -> registry.schemaById(99))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode())
                        .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> registry.lookup("clicks-value", ClickEvent.getClassSchema()))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).notFound()).isTrue());

        registry.register("clicks-value", ClickEvent.getClassSchema());
        Schema requiredField = new Schema.Parser().parse(ClickEvent.getClassSchema().toString()
                .replaceFirst("\\]\\}$", ",{\"name\":\"referrer\",\"type\":\"string\"}]}"));
        assertThat(registry.checkCompatibility("clicks-value", requiredField).compatible()).isFalse();
        assertThatThrownBy(() -> registry.register("clicks-value", requiredField))
                .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409));
    }

    @Test
    void serdesSharingTheClientRoundTrip() {
        Map<String, String> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://unused:8081");
        try (AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class, registry, config, false)) {
            ClickEvent click = ClickEvent.newBuilder().setUserId("u").setItemId("i").setEventType("view")
                    .setEventTime(Instant.ofEpochMilli(42)).build();
            byte[] bytes = serde.serializer().serialize("clicks", click);
            assertThat(bytes[0]).isZero();
            assertThat(serde.deserializer().deserialize("clicks", bytes)).isEqualTo(click);
        }
    }
}
