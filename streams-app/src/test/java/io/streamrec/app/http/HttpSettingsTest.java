package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.app.StreamsApp;
import io.streamrec.app.StreamsAppConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

    @Test
    void theAdvertisedHostIsTheConfiguredOneThenTheBindHostThenTheMachinesName() {
        assertThat(HttpSettings.advertisedHost(" pod-1.streamrec.svc ", "0.0.0.0")).isEqualTo("pod-1.streamrec.svc");
        assertThat(HttpSettings.advertisedHost("", "127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(HttpSettings.advertisedHost("", "10.1.2.3")).isEqualTo("10.1.2.3");
        for (String wildcard : new String[] {"0.0.0.0", "::", ""}) {
            assertThat(HttpSettings.advertisedHost("", wildcard)).as(wildcard).isNotBlank()
                    .isNotEqualTo(wildcard).isNotEqualTo("0.0.0.0");
        }
    }

    @Test
    void readFromTheAppConfiguration() {
        StreamsAppConfig config = new StreamsAppConfig(Map.of(
                StreamsAppConfig.HTTP_HOST_CONFIG, "127.0.0.1",
                StreamsAppConfig.HTTP_PORT_CONFIG, 0,
                StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0,
                StreamsAppConfig.HTTP_THREADS_CONFIG, 2,
                StreamsAppConfig.HTTP_QUEUE_SIZE_CONFIG, 5,
                StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG, 1500L,
                StreamsAppConfig.HTTP_READY_REQUIRES_MODEL_CONFIG, true,
                StreamsAppConfig.RECOMMENDATIONS_COUNT_CONFIG, 7,
                StreamsAppConfig.VALIDATION_MAX_ID_BYTES_CONFIG, 64,
                StreamsAppConfig.HTTP_QUERY_MAX_LAG_RECORDS_CONFIG, -1L));
        assertThat(HttpSettings.from(config)).isEqualTo(new HttpSettings("127.0.0.1", 0, 0, "127.0.0.1", 2, 5,
                Duration.ofMillis(1500), true, 7, 64, HttpSettings.ACTIVE_ONLY));
        StreamsAppConfig defaults = new StreamsAppConfig(Map.of());
        assertThat(List.of(defaults.httpPort(), defaults.httpManagementPort(), defaults.httpQueueSize()))
                .containsExactly(8080, 8079, 64);
        assertThat(defaults.httpQueryMaxLagRecords()).isEqualTo(10_000L);
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.HTTP_QUERY_MAX_LAG_RECORDS_CONFIG,
                -2L))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_QUERY_MAX_LAG_RECORDS_CONFIG);
    }

    @Test
    void applicationServerIsTheAppsToSet() {
        assertThatThrownBy(() -> StreamsApp.start(Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "elsewhere:1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_ADVERTISED_HOST_CONFIG);
    }

    @Test
    void theNewKeysAreValidated() {
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.HTTP_THREADS_CONFIG, 0)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamsAppConfig.HTTP_THREADS_CONFIG);
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG, 10L)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG);
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.HTTP_QUEUE_SIZE_CONFIG, -1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(StreamsAppConfig.HTTP_QUEUE_SIZE_CONFIG);
        assertThatThrownBy(() -> new StreamsAppConfig(Map.of(StreamsAppConfig.HTTP_PORT_CONFIG, 9000,
                StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 9000))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG).hasMessageContaining("own");
        // Both 0: each listener gets a free port of its own.
        assertThat(new StreamsAppConfig(Map.of(StreamsAppConfig.HTTP_PORT_CONFIG, 0,
                StreamsAppConfig.HTTP_MANAGEMENT_PORT_CONFIG, 0)).httpManagementPort()).isZero();
    }
}
