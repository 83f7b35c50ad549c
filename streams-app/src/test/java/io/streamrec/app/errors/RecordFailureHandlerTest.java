package io.streamrec.app.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.app.StreamsAppConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class RecordFailureHandlerTest {

    private final FailedRecords failed = new FailedRecords(2, 10);
    private final RecordFailureHandler handler = configured();
    private final Record<Object, Object> record = new Record<>("u", "v", 0L);

    private RecordFailureHandler configured() {
        RecordFailureHandler configured = new RecordFailureHandler();
        configured.configure(Map.of(FailedRecords.CONFIG_KEY, failed, StreamsAppConfig.TOPIC_CLICKS_CONFIG, "clicks"));
        return configured;
    }

    @Test
    void aFailingClickFailsTheThreadAndIsQuarantinedOnItsSecondFailure() {
        FailedRecords.Source source = new FailedRecords.Source("clicks", 2, 7);

        Response first = handler.handleError(context("clicks", 2, 7), record, new IllegalStateException("bug"));
        assertThat(first.result()).isEqualTo(Result.FAIL);
        assertThat(failed.takeQuarantined(source)).as("one failure may have been passing").isEmpty();

        handler.handleError(context("clicks", 2, 7), record, new IllegalStateException("bug"));
        assertThat(failed.takeQuarantined(source)).hasValueSatisfying(quarantined -> {
            assertThat(quarantined.failures()).isEqualTo(2);
            assertThat(quarantined.lastError()).isInstanceOf(IllegalStateException.class);
            assertThat(quarantined.describe()).contains("IllegalStateException: bug");
        });
        assertThat(failed.takeQuarantined(source)).as("taken once").isEmpty();
    }

    @Test
    void aRetriableFailureFailsTheThreadButNeverQuarantines() {
        for (int i = 0; i < 5; i++) {
            Response response = handler.handleError(context("clicks", 0, 1), record,
                    new StreamsException(new TimeoutException("registry")));
            assertThat(response.result()).isEqualTo(Result.FAIL);
        }
        assertThat(failed.takeQuarantined(new FailedRecords.Source("clicks", 0, 1))).isEmpty();
    }

    @Test
    void failuresWithoutAClickBehindThemAreSkipped() {
        assertThat(handler.handleError(context("models", 0, 3), record, new IllegalStateException()).result())
                .as("the global models thread must not die").isEqualTo(Result.RESUME);
        assertThat(handler.handleError(context(null, -1, -1), record, new IllegalStateException()).result())
                .as("a punctuator").isEqualTo(Result.RESUME);
    }

    @Test
    void refusesToRunWithoutTheInstancesFailedRecords() {
        assertThatThrownBy(() -> new RecordFailureHandler().configure(Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining(FailedRecords.CONFIG_KEY);
    }

    @Test
    void theOldestEntriesGoBeyondTheBound() {
        FailedRecords small = new FailedRecords(1, 2);
        for (int offset = 0; offset < 3; offset++) {
            small.failed(new FailedRecords.Source("clicks", 0, offset), new IllegalStateException());
        }
        assertThat(small.takeQuarantined(new FailedRecords.Source("clicks", 0, 0))).isEmpty();
        assertThat(small.takeQuarantined(new FailedRecords.Source("clicks", 0, 2))).isPresent();
    }

    private static ErrorHandlerContext context(String topic, int partition, long offset) {
        return DeadLetterConvention.context(topic, partition, offset, new RecordHeaders());
    }
}
