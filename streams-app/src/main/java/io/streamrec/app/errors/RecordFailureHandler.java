package io.streamrec.app.errors;

import io.streamrec.app.StreamsAppConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * streamrec's processing exception handler: nothing valid is lost, nothing is half-done.
 *
 * <ul>
 *   <li>A click whose processing throws fails the stream thread, so its transaction aborts (taking back whatever
 *       the click had already changed) and the task resumes from its last commit. The app's uncaught-exception
 *       handler replaces the thread. The failure is noted in {@link FailedRecords}; a click that keeps failing is
 *       then dead-lettered by the click intake before it changes anything.</li>
 *   <li>A retriable failure (the schema registry unreachable, say) is not the click's fault: the thread fails the
 *       same way, but the click is not noted, so it is retried until it succeeds.</li>
 *   <li>Anything without a click behind it (a punctuator, the global models thread) is logged and skipped: failing
 *       would stop the whole client (global thread) or loop on a schedule (punctuators), and their work is
 *       repeated on the next run anyway.</li>
 * </ul>
 *
 * <p>Configured by Kafka Streams from the app's configuration, which carries the instance's {@link FailedRecords}
 * under {@link FailedRecords#CONFIG_KEY}.
 */
public final class RecordFailureHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RecordFailureHandler.class);

    private FailedRecords failedRecords;
    private String clicksTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object shared = configs.get(FailedRecords.CONFIG_KEY);
        if (!(shared instanceof FailedRecords records)) {
            throw new ConfigException(FailedRecords.CONFIG_KEY, shared, "the app passes its FailedRecords here;"
                    + " this handler cannot run without it");
        }
        this.failedRecords = records;
        Object topic = configs.get(StreamsAppConfig.TOPIC_CLICKS_CONFIG);
        this.clicksTopic = topic == null ? StreamsAppConfig.configDef().defaultValues()
                .get(StreamsAppConfig.TOPIC_CLICKS_CONFIG).toString() : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!clicksTopic.equals(context.topic()) || context.offset() < 0) {
            log.error("event=processing_failed action=skip node={} task={} topic={} error=\"{}\"",
                    context.processorNodeId(), context.taskId(), context.topic(), exception.toString(), exception);
            return Response.resume();
        }
        FailedRecords.Source source = new FailedRecords.Source(context.topic(), context.partition(), context.offset());
        if (isRetriable(exception)) {
            log.warn("event=processing_failed action=retry_from_last_commit reason=retriable node={} partition={}"
                    + " offset={} error=\"{}\"", context.processorNodeId(), source.partition(), source.offset(),
                    exception.toString());
            return Response.fail();
        }
        int failures = failedRecords.failed(source, exception);
        log.error("event=processing_failed action={} node={} partition={} offset={} failures={} error=\"{}\"",
                failures >= failedRecords.attemptsBeforeQuarantine() ? "dead_letter_on_next_read"
                        : "retry_from_last_commit", context.processorNodeId(), source.partition(), source.offset(),
                failures, exception.toString(), exception);
        return Response.fail();
    }

    private static boolean isRetriable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
