package io.streamrec.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {

    @Test
    void laterSourcesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nrecommendations.count=7\nhttp.port = 9000 \n");
        Map<String, Object> config = ConfigSources.load(
                Map.of("bootstrap.servers", "default:9092", "model.name", "default"),
                file,
                Map.of("STREAMREC_RECOMMENDATIONS_COUNT", "12", "PATH", "/usr/bin", "STREAMREC_TOPIC_DEAD_LETTERS", "dlq"),
                List.of("http.port=8081"));
        assertThat(config)
                .containsEntry("bootstrap.servers", "file:9092")
                .containsEntry("model.name", "default")
                .containsEntry("recommendations.count", "12")
                .containsEntry("topic.dead.letters", "dlq")
                .containsEntry("http.port", "8081")
                .doesNotContainKey("path");
    }

    @Test
    void environmentNamesMapBothWays() {
        assertThat(ConfigSources.environmentVariableOf("schema.registry.url")).isEqualTo("STREAMREC_SCHEMA_REGISTRY_URL");
        assertThat(ConfigSources.keyOfEnvironmentVariable("STREAMREC_SCHEMA_REGISTRY_URL")).isEqualTo("schema.registry.url");
        assertThat(ConfigSources.keyOfEnvironmentVariable("HOME")).isNull();
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigSources.load(Map.of(), null, Map.of(), List.of("no-equals-sign")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key=value");
        assertThatThrownBy(() -> ConfigSources.load(Map.of(), dir.resolve("missing.properties"), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("missing.properties");
    }
}
