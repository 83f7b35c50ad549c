package io.streamrec.app.topology;

import io.streamrec.app.StreamsAppConfig;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.serde.AvroSerdeException;
import io.streamrec.schemas.serde.RegistryUnavailableException;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.serde.SchemaRegistryException;
import io.streamrec.schemas.serde.WireFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the schema registry client's caches before the instance joins its consumer group: the ids of the
 * schemas the app writes (lists, interaction keys and values) and the latest schemas of the topics it reads.
 *
 * <p>Why: a cached id never needs the registry again. An instance that starts while the registry is down would
 * otherwise take partitions and then be unable to write a single list; waiting here leaves those partitions with
 * the instances whose caches are warm. Clicks written with a schema first seen later still need the registry
 * once, which the click intake retries.
 *
 * <p>Not thread-safe; one use, on the thread that starts the app.
 */
public final class RegistryWarmUp {

    private static final Logger log = LoggerFactory.getLogger(RegistryWarmUp.class);

    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final StreamsAppConfig config;
    private final SchemaRegistryClient client;
    private final TopicSerdes serdes;

    public RegistryWarmUp(StreamsAppConfig config, SchemaRegistryClient client) {
        this.config = config;
        this.client = client;
        this.serdes = TopicSerdes.create(client, config.allOriginals());
    }

    /**
     * Returns once every schema is cached, or when {@code stopping} turns true (false then), retrying while the
     * registry is unreachable or failing. A schema the registry refuses for good (incompatible, not registered
     * with auto-registration off) is logged and skipped: the sink that needs it reports it with the record.
     */
    public boolean await(BooleanSupplier stopping) throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        int attempt = 1;
        while (!stopping.getAsBoolean()) {
            try {
                warm();
                if (attempt > 1) {
                    log.info("event=registry_available attempts={}", attempt);
                }
                return true;
            } catch (RegistryUnavailableException e) {
                log.warn("event=registry_unavailable action=wait_before_joining attempt={} pause_ms={}"
                        + " error=\"{}\"", attempt, pause.toMillis(), e.getMessage());
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            attempt++;
        }
        return false;
    }

    private void warm() {
        Instant epoch = Instant.EPOCH;
        String interactions = config.interactionsTopic();
        writable(() -> serdes.recommendations().serializer().serialize(config.recommendationsTopic(),
                new Recommendations("", List.of(), "", null, true, epoch, epoch)));
        writable(() -> serdes.interactionKeys().serializer().serialize(interactions, new InteractionKey("", "")));
        writable(() -> serdes.interactions().serializer().serialize(interactions,
                new Interaction("", "", 0L, epoch, epoch, "")));
        readable(config.clicksTopic());
        readable(config.modelsTopic());
    }

    private static void writable(Runnable serialization) {
        try {
            serialization.run();
        } catch (AvroSerdeException e) {
            log.error("event=schema_not_writable error=\"{}\"", e.getMessage());
        }
    }

    private void readable(String topic) {
        String subject = WireFormat.subject(topic, false);
        try {
            client.latest(subject);
        } catch (SchemaRegistryException e) {
            if (e.transientFailure()) {
                throw new RegistryUnavailableException("could not fetch the latest schema of " + subject + ": "
                        + e.getMessage(), e);
            }
            // Nothing registered yet (a new deployment): there is nothing to cache.
            log.info("event=schema_not_cached subject={} reason=\"{}\"", subject, e.getMessage());
        }
    }
}
