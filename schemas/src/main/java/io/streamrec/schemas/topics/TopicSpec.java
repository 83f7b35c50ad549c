package io.streamrec.schemas.topics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The contract of one topic: its name, what its keys and values are, and how the broker must keep it.
 * Immutable.
 *
 * @param name              topic name
 * @param description       one line for humans (docs, provisioning output)
 * @param keyType           Java type of the record key as the project's serdes produce it
 * @param valueType         Java type of the record value
 * @param partitions        partition count to create the topic with
 * @param replicationFactor replication factor to create the topic with
 * @param cleanupPolicy     delete or compact
 * @param retentionMs       {@code retention.ms}, or empty to keep the broker default; -1 keeps data forever
 * @param maxMessageBytes   {@code max.message.bytes}, or empty to keep the broker default
 */
public record TopicSpec(
        String name,
        String description,
        Class<?> keyType,
        Class<?> valueType,
        int partitions,
        short replicationFactor,
        CleanupPolicy cleanupPolicy,
        Optional<Long> retentionMs,
        Optional<Integer> maxMessageBytes) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        Objects.requireNonNull(retentionMs, "retentionMs");
        Objects.requireNonNull(maxMessageBytes, "maxMessageBytes");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "topic " + name + ": replication factor must be >= 1, got " + replicationFactor);
        }
        maxMessageBytes.ifPresent(bytes -> {
            if (bytes < 1) {
                throw new IllegalArgumentException("topic " + name + ": max.message.bytes must be >= 1");
            }
        });
    }

    /** The topic-level configs this spec sets, in a stable order. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.configValue());
        retentionMs.ifPresent(ms -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(ms)));
        maxMessageBytes.ifPresent(bytes -> configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)));
        return Map.copyOf(configs);
    }

    /** The Admin-client request that creates this topic. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs());
    }

    /** This spec under another name (a deployment's naming convention, or a test's private topic). */
    public TopicSpec withName(String newName) {
        return new TopicSpec(newName, description, keyType, valueType, partitions, replicationFactor, cleanupPolicy,
                retentionMs, maxMessageBytes);
    }

    /** This spec with another partition count (deployments scale partitions, not the contract). */
    public TopicSpec withPartitions(int newPartitions) {
        return new TopicSpec(name, description, keyType, valueType, newPartitions, replicationFactor,
                cleanupPolicy, retentionMs, maxMessageBytes);
    }

    /** This spec with another replication factor (a single-broker stack needs 1). */
    public TopicSpec withReplicationFactor(short newReplicationFactor) {
        return new TopicSpec(name, description, keyType, valueType, partitions, newReplicationFactor,
                cleanupPolicy, retentionMs, maxMessageBytes);
    }
}
