package io.streamrec.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.schemas.config.ConfigDocs;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's tables are generated from the config classes, so they cannot drift: this test fails
 * when a key, default or description changed in code but not on that page. Regenerate with
 * {@code mvn -q -B -pl demo -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ConfigurationReferenceTest
 * -Dconfiguration.update=true test}.
 */
class ConfigurationReferenceTest {

    private static final String UPDATE_PROPERTY = "configuration.update";

    static Map<String, ConfigDef> sections() {
        Map<String, ConfigDef> sections = new LinkedHashMap<>();
        sections.put("serde", AvroSerdeConfig.configDef());
        sections.put("streams-app", StreamsAppConfig.configDef());
        sections.put("trainer", TrainerServiceConfig.configDef());
        return sections;
    }

    @Test
    void theConfigurationPageListsEveryKeyAsTheCodeDefinesIt() throws Exception {
        Path page = Markdown.projectRoot().resolve("docs/configuration.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        String expected = regenerated(text, sections());
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(page, expected, StandardCharsets.UTF_8);
            text = expected;
        }
        assertThat(text).as("docs/configuration.md (regenerate with -D" + UPDATE_PROPERTY + "=true)")
                .isEqualTo(expected);
    }

    @Test
    void aStaleTableOrAMissingMarkerIsCaught() {
        Map<String, ConfigDef> serde = Map.of("serde", AvroSerdeConfig.configDef());
        String stale = "<!-- config:serde:start -->\n| key | stale |\n<!-- config:serde:end -->\n";
        assertThat(regenerated(stale, serde)).isNotEqualTo(stale).contains("`schema.registry.url`");
        assertThatThrownBy(() -> regenerated("no markers here", serde)).isInstanceOf(AssertionError.class);
    }

    /** The text with each section's table, between its markers, replaced by the one the code generates. */
    static String regenerated(String text, Map<String, ConfigDef> sections) {
        String expected = text;
        for (Map.Entry<String, ConfigDef> section : sections.entrySet()) {
            String start = "<!-- config:" + section.getKey() + ":start -->\n";
            String end = "<!-- config:" + section.getKey() + ":end -->";
            int from = expected.indexOf(start);
            int to = expected.indexOf(end);
            assertThat(from).as("marker " + start.trim()).isNotNegative();
            assertThat(to).as("marker " + end).isGreaterThan(from);
            expected = expected.substring(0, from + start.length()) + ConfigDocs.markdown(section.getValue())
                    + expected.substring(to);
        }
        return expected;
    }
}
