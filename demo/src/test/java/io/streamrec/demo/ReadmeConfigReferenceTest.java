package io.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The README's configuration reference is generated from the config classes, so it cannot drift: this test
 * fails when a key, default or description changed in code but not in the README. Regenerate with
 * {@code mvn -pl demo test -Dtest=ReadmeConfigReferenceTest -Dreadme.update=true}.
 */
class ReadmeConfigReferenceTest {

    static Map<String, ConfigDef> sections() {
        Map<String, ConfigDef> sections = new LinkedHashMap<>();
        sections.put("serde", AvroSerdeConfig.configDef());
        sections.put("streams-app", StreamsAppConfig.configDef());
        sections.put("trainer", TrainerServiceConfig.configDef());
        return sections;
    }

    @Test
    void theReadmeListsEveryKeyAsTheCodeDefinesIt() throws Exception {
        Path readme = Path.of(System.getProperty("streamrec.project.root", "..")).resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String expected = text;
        for (Map.Entry<String, ConfigDef> section : sections().entrySet()) {
            String start = "<!-- config:" + section.getKey() + ":start -->\n";
            String end = "<!-- config:" + section.getKey() + ":end -->";
            int from = expected.indexOf(start);
            int to = expected.indexOf(end);
            assertThat(from).as("README marker " + start.trim()).isNotNegative();
            assertThat(to).as("README marker " + end).isGreaterThan(from);
            expected = expected.substring(0, from + start.length()) + ConfigDocs.markdown(section.getValue())
                    + expected.substring(to);
        }
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(readme, expected, StandardCharsets.UTF_8);
            text = expected;
        }
        assertThat(text).as("README configuration reference (regenerate with -Dreadme.update=true)")
                .isEqualTo(expected);
    }
}
