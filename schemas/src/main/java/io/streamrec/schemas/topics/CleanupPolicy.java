package io.streamrec.schemas.topics;

import org.apache.kafka.common.config.TopicConfig;

/** Kafka's {@code cleanup.policy} values that streamrec topics use. */
public enum CleanupPolicy {
    /** Old segments are deleted after {@code retention.ms}. */
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    /** The log keeps the latest record per key; a null value (tombstone) removes the key. */
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /** The value to put in the topic's {@code cleanup.policy} config. */
    public String configValue() {
        return configValue;
    }
}
