package io.streamrec.trainer.snapshot;

import io.streamrec.trainer.data.Corpus;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * What one read of the interactions topic produced: the corpus of live (user, item) pairs ordered by time per
 * user, and where the read stopped, for the release's provenance. Immutable.
 *
 * @param corpus       the live pairs with their vocabularies (users and items without a live pair are left out)
 * @param topic        the topic read
 * @param endOffsets   the end offset of each partition taken at the start; the read stopped there
 * @param records      records read (values and tombstones)
 * @param tombstones   tombstones among them
 * @param unreadable   records skipped because they could not be decoded (logged, never fatal)
 * @param readTime     wall time of the read
 */
public record InteractionSnapshot(Corpus corpus, String topic, Map<TopicPartition, Long> endOffsets, long records,
                                  long tombstones, long unreadable, Duration readTime) {

    public InteractionSnapshot {
        endOffsets = Map.copyOf(endOffsets);
    }

    /** Number of live pairs. */
    public int pairs() {
        return corpus.interactions().size();
    }

    /** The offsets as provenance text: {@code topic@partition:offset,...} in partition order. */
    public String offsetsDescription() {
        return topic + "@" + endOffsets.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(TopicPartition::partition)))
                .map(entry -> entry.getKey().partition() + ":" + entry.getValue())
                .collect(Collectors.joining(","));
    }
}
