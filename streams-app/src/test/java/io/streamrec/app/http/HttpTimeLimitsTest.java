package io.streamrec.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.app.StreamsAppConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HttpTimeLimitsTest {

    @Test
    void theEntryPointsDefaultsFillOnlyWhatIsUnset() {
        Properties unset = new Properties();
        HttpTimeLimits.setDefaultsUnlessConfigured(unset);
        assertThat(unset).containsEntry(HttpTimeLimits.MAX_REQUEST_TIME, "5")
                .containsEntry(HttpTimeLimits.MAX_RESPONSE_TIME, "30");

        Properties configured = new Properties();
        configured.setProperty(HttpTimeLimits.MAX_REQUEST_TIME, "2");
        configured.setProperty(HttpTimeLimits.MAX_RESPONSE_TIME, "-1");
        HttpTimeLimits.setDefaultsUnlessConfigured(configured);
        assertThat(configured).containsEntry(HttpTimeLimits.MAX_REQUEST_TIME, "2")
                .containsEntry(HttpTimeLimits.MAX_RESPONSE_TIME, "-1");
    }

    @Test
    void theResponseLimitIsReadAsTheJdkReadsIt() {
        Properties properties = new Properties();
        assertThat(HttpTimeLimits.responseLimit(properties)).isEmpty();
        for (String off : new String[] {"0", "-1", "soon"}) {
            properties.setProperty(HttpTimeLimits.MAX_RESPONSE_TIME, off);
            assertThat(HttpTimeLimits.responseLimit(properties)).as(off).isEmpty();
        }
        properties.setProperty(HttpTimeLimits.MAX_RESPONSE_TIME, "30");
        assertThat(HttpTimeLimits.responseLimit(properties)).contains(Duration.ofSeconds(30));
    }

    @Test
    void aQueryTimeoutTheResponseLimitWouldCutShortIsAConfigurationError() {
        Properties properties = new Properties();
        HttpTimeLimits.checkQueryTimeout(Duration.ofMinutes(10), properties); // no limit: anything goes
        HttpTimeLimits.setDefaultsUnlessConfigured(properties);
        HttpTimeLimits.checkQueryTimeout(Duration.ofSeconds(10), properties); // the default
        HttpTimeLimits.checkQueryTimeout(Duration.ofSeconds(25), properties);
        assertThatThrownBy(() -> HttpTimeLimits.checkQueryTimeout(Duration.ofMillis(25_001), properties))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(StreamsAppConfig.HTTP_QUERY_TIMEOUT_MS_CONFIG)
                .hasMessageContaining(HttpTimeLimits.MAX_RESPONSE_TIME);
    }
}
