package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.avro.ClickEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Serde behaviour that needs no registry answer: header checks happen before any lookup, and a registry that
 * is down gives a clear, retriable error. The registry round trips are in the devstack module's integration
 * tests.
 */
class AvroSerdeWithoutRegistryTest {

    private String deadRegistryUrl;

    @BeforeEach
    void findAPortNobodyListensOn() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            deadRegistryUrl = "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private AvroSerde<ClickEvent> serde() {
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class);
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, deadRegistryUrl), false);
        return serde;
    }

    @Test
    void nullIsATombstoneBothWays() {
        try (AvroSerde<ClickEvent> serde = serde()) {
            assertThat(serde.serializer().serialize("clicks", null)).isNull();
            assertThat(serde.deserializer().deserialize("clicks", null)).isNull();
        }
    }

    @Test
    void tooShortRecordNamesTopicAndSubject() {
        try (AvroSerde<ClickEvent> serde = serde()) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("clicks", new byte[] {0, 0, 1}))
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("3 bytes is too short")
                    .hasMessageContaining("topic=clicks")
                    .hasMessageContaining("subject=clicks-value");
        }
    }

    @Test
    void wrongMagicByteIsRejectedBeforeAnyLookup() {
        byte[] json = "{\"userId\":\"u1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (AvroSerde<ClickEvent> serde = serde()) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("clicks", json))
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("unknown magic byte 0x7b")
                    .hasMessageContaining("subject=clicks-value")
                    .satisfies(e -> assertThat(((AvroSerdeException) e).schemaId()).isEmpty());
        }
    }

    @Test
    void registryDownOnReadIsRetriableAndNamesTheSchemaIdAndTheRegistry() {
        byte[] record = {0, 0, 0, 0, 42, 2, 'a'};
        try (AvroSerde<ClickEvent> serde = serde()) {
            assertThatThrownBy(() -> serde.deserializer().deserialize("clicks", record))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("could not fetch schema id 42 for clicks")
                    .hasMessageContaining("unreachable")
                    .hasMessageContaining(deadRegistryUrl)
                    .hasCauseInstanceOf(SchemaRegistryException.class);
        }
    }

    @Test
    void registryDownOnWriteIsRetriableAndNamesTheTopic() {
        ClickEvent click = ClickEvent.newBuilder().setUserId("u").setItemId("i").setEventType("view")
                .setEventTime(Instant.EPOCH).build();
        try (AvroSerde<ClickEvent> serde = serde()) {
            assertThatThrownBy(() -> serde.serializer().serialize("clicks", click))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("could not register the schema io.streamrec.avro.ClickEvent for clicks")
                    .hasMessageContaining("unreachable");
        }
    }

    @Test
    void keySerdesUseTheKeySubject() {
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class);
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, deadRegistryUrl), true);
        assertThatThrownBy(() -> serde.deserializer().deserialize("interactions", new byte[] {1, 0, 0, 0, 0, 0}))
                .hasMessageContaining("subject=interactions-key");
    }

    @Test
    void configNeedsARegistryUrl() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "ftp://registry")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http://");
    }

    @Test
    void userInfoSourceNeedsUserInfo() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "http://r:8081",
                "basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void credentialsComeFromTheUrlOrTheUserInfoKey() {
        AvroSerdeConfig fromUrl = new AvroSerdeConfig(Map.of("schema.registry.url", "http://alice:s3cr%40t@r:8081/"));
        assertThat(fromUrl.basicAuthUserInfo()).hasValue("alice:s3cr@t");
        assertThat(fromUrl.registryUrls()).extracting(Object::toString).containsExactly("http://r:8081");

        AvroSerdeConfig fromKey = new AvroSerdeConfig(Map.of("schema.registry.url", "http://r:8081,http://s:8081",
                "basic.auth.credentials.source", "USER_INFO", "schema.registry.basic.auth.user.info", "bob:pw"));
        assertThat(fromKey.basicAuthUserInfo()).hasValue("bob:pw");
        assertThat(fromKey.registryUrls()).hasSize(2);
    }

    @Test
    void onlyTopicNameStrategyIsAccepted() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of("schema.registry.url", "http://r:8081",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")))
                .isInstanceOf(ConfigException.class);
        new AvroSerdeConfig(Map.of("schema.registry.url", "http://r:8081",
                "value.subject.name.strategy", AvroSerdeConfig.TOPIC_NAME_STRATEGY));
    }
}
