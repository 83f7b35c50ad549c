package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The services' JSON logging ({@code log4j2-json.xml}, selected with {@code LOG4J_CONFIGURATION_FILE}) loads and
 * writes each event as one line of JSON with the fields a log pipeline indexes.
 */
class JsonLogLayoutTest {

    @ParameterizedTest
    @CsvSource({"streams-app, stdout", "trainer, stderr"})
    void eachEventIsOneJsonObjectWithItsLevelLoggerAndMessage(String module, String appenderName) throws Exception {
        Path config = Path.of("..", module, "src/main/resources/log4j2-json.xml").toAbsolutePath().normalize();
        LoggerContext context = Configurator.initialize("json-" + module, config.toUri().toString());
        try {
            Appender appender = context.getConfiguration().getAppender(appenderName);
            assertThat(appender).as("the %s appender of %s", appenderName, config).isNotNull();
            Object line = appender.getLayout().toSerializable(Log4jLogEvent.newBuilder()
                    .setLoggerName("io.streamrec.app.StreamsApp").setLevel(Level.WARN)
                    .setMessage(new SimpleMessage("event=routing_failed user=\"u1\"")).build());
            String text = line.toString();
            assertThat(text.strip()).doesNotContain("\n");
            JsonNode event = new ObjectMapper().readTree(text);
            assertThat(event.path("log.level").asText()).isEqualTo("WARN");
            assertThat(event.path("log.logger").asText()).isEqualTo("io.streamrec.app.StreamsApp");
            assertThat(event.path("message").asText()).isEqualTo("event=routing_failed user=\"u1\"");
            assertThat(event.has("@timestamp")).isTrue();
        } finally {
            Configurator.shutdown(context);
        }
    }
}
