package io.streamrec.schemas.topics;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.Recommendations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every topic streamrec reads or writes, with its contract: the one source of truth that the local stack,
 * the tests, the provisioning command, {@code infra/} and {@code k8s/} all use.
 *
 * <p>The constants describe a production deployment (replication factor 3). A single-broker stack uses
 * {@link #withReplicationFactor(short)}; a deployment that needs more parallelism uses
 * {@link #withPartitions(int)}, which leaves the single-partition topics alone. Instances are immutable.
 */
public final class TopicCatalog {

    /** Replication factor of the production defaults. */
    public static final short DEFAULT_REPLICATION_FACTOR = 3;

    /** Partition count of the keyed, scalable topics; partitions are the unit of scale of the streams app. */
    public static final int DEFAULT_PARTITIONS = 6;

    /** {@code max.message.bytes} of the models topic: releases carry ONNX graphs of tens of MB inline. */
    public static final int MODELS_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    public static final TopicSpec CLICKS = new TopicSpec(
            "clicks",
            "Click events from applications (Avro ClickEvent), key = user id",
            String.class, ClickEvent.class,
            DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, CleanupPolicy.DELETE,
            Optional.of(Duration.ofDays(7).toMillis()), Optional.empty());

    public static final TopicSpec RECOMMENDATIONS = new TopicSpec(
            "recommendations",
            "Ranked top-K list per click (Avro Recommendations), key = user id",
            String.class, Recommendations.class,
            DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, CleanupPolicy.DELETE,
            Optional.of(Duration.ofDays(1).toMillis()), Optional.empty());

    public static final TopicSpec INTERACTIONS = new TopicSpec(
            "interactions",
            "Current state per (user, item) (Avro InteractionKey -> Interaction); the trainer's source of truth;"
                    + " a tombstone forgets the pair",
            InteractionKey.class, Interaction.class,
            DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, CleanupPolicy.COMPACT,
            Optional.empty(), Optional.empty());

    public static final TopicSpec MODELS = new TopicSpec(
            "models",
            "Model releases (Avro ModelRelease), key = model name; one partition so every instance sees one order",
            String.class, ModelRelease.class,
            1, DEFAULT_REPLICATION_FACTOR, CleanupPolicy.COMPACT,
            Optional.empty(), Optional.of(MODELS_MAX_MESSAGE_BYTES));

    public static final TopicSpec DEAD_LETTERS = new TopicSpec(
            "dead-letters",
            "Records that could not be read or were invalid: original key and value bytes, the reason and the"
                    + " source topic, partition and offset in headers",
            byte[].class, byte[].class,
            DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR, CleanupPolicy.DELETE,
            Optional.of(Duration.ofDays(14).toMillis()), Optional.empty());

    public static final TopicSpec SCHEMAS = new TopicSpec(
            "_schemas",
            "The schema registry's durable store (JSON keys and values as Confluent's kafkastore writes them)",
            String.class, String.class,
            1, DEFAULT_REPLICATION_FACTOR, CleanupPolicy.COMPACT,
            Optional.empty(), Optional.empty());

    private static final TopicCatalog STANDARD =
            new TopicCatalog(List.of(CLICKS, RECOMMENDATIONS, INTERACTIONS, MODELS, DEAD_LETTERS, SCHEMAS));

    private final Map<String, TopicSpec> topicsByName;

    private TopicCatalog(List<TopicSpec> topics) {
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        for (TopicSpec topic : topics) {
            if (byName.putIfAbsent(topic.name(), topic) != null) {
                throw new IllegalArgumentException("duplicate topic in catalog: " + topic.name());
            }
        }
        this.topicsByName = byName;
    }

    /** The production catalog: the constants of this class. */
    public static TopicCatalog standard() {
        return STANDARD;
    }

    /** Every topic, in a stable order. */
    public List<TopicSpec> topics() {
        return List.copyOf(topicsByName.values());
    }

    /** The spec of the named topic; throws {@link NoSuchElementException} for a name not in the catalog. */
    public TopicSpec topic(String name) {
        TopicSpec spec = topicsByName.get(name);
        if (spec == null) {
            throw new NoSuchElementException("no topic '" + name + "' in the catalog; known: " + topicsByName.keySet());
        }
        return spec;
    }

    /** This catalog with every topic at the given replication factor (1 for a single broker). */
    public TopicCatalog withReplicationFactor(short replicationFactor) {
        return map(spec -> spec.withReplicationFactor(replicationFactor));
    }

    /**
     * This catalog with every multi-partition topic at the given partition count. Single-partition topics
     * ({@code models}, {@code _schemas}) stay at one partition: their readers rely on a single order.
     */
    public TopicCatalog withPartitions(int partitions) {
        return map(spec -> spec.partitions() == 1 ? spec : spec.withPartitions(partitions));
    }

    private TopicCatalog map(UnaryOperator<TopicSpec> change) {
        return new TopicCatalog(topicsByName.values().stream().map(change).toList());
    }

    @Override
    public String toString() {
        return "TopicCatalog" + topicsByName.keySet();
    }
}
