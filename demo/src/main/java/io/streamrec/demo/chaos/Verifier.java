package io.streamrec.demo.chaos;

import io.streamrec.app.errors.DeadLetterHeaders;
import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.serde.AvroDeserializer;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads what the cluster produced as a downstream consumer would ({@code read_committed}, so aborted transactions
 * are invisible) and keys every list to its click: how many clicks got a list, got more than one, got none, and
 * were dead-lettered although valid; which bad records were dead-lettered and with what reason; and the
 * click-to-list latency of each click, by when it was sent.
 *
 * <p>Runs on its own thread ({@link #run()}) until {@link #close()}; the accessors take a consistent view.
 */
final class Verifier implements Runnable, AutoCloseable {

    /** Latency buckets, by the clicks' scheduled send time. */
    static final Duration BUCKET = Duration.ofSeconds(2);
    /**
     * The reason recorded for a dead letter without Kafka Streams' exception header, outside the one convention
     * (the app's {@code DeadLetterHeaders}: Kafka Streams' headers plus streamrec's reason).
     */
    static final String OUTSIDE_CONVENTION = "(without Kafka Streams' headers)";

    private final ClickLoad load;
    private final KafkaConsumer<String, Recommendations> lists;
    private final KafkaConsumer<byte[], byte[]> deadLetters;
    private final AtomicBoolean running = new AtomicBoolean(true);

    // Guarded by 'this'.
    private final Map<Integer, Integer> listsPerClick = new HashMap<>();
    private final BitSet validDeadLettered = new BitSet();
    private final Map<String, String> badDeadLettered = new HashMap<>(); // fuzz id -> reason
    private final TreeMap<Long, Histogram> latencyByBucket = new TreeMap<>();
    private long foreignLists;
    private long unmarkedDeadLetters;
    private long lastListAtMs;

    Verifier(Map<String, Object> clientConfig, SchemaRegistryClient registry, String listsTopic,
             String deadLettersTopic, ClickLoad load) {
        this.load = load;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        this.lists = new KafkaConsumer<>(config, new StringDeserializer(),
                new AvroDeserializer<>(Recommendations.class, registry, config, false));
        this.deadLetters = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        assignFromStart(lists, listsTopic);
        assignFromStart(deadLetters, deadLettersTopic);
    }

    private static void assignFromStart(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic, Duration.ofMinutes(1))
                .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, Recommendations> list : lists.poll(Duration.ofMillis(100))) {
                    list(list.value(), System.currentTimeMillis());
                }
                for (ConsumerRecord<byte[], byte[]> letter : deadLetters.poll(Duration.ZERO)) {
                    deadLetter(letter.headers());
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }

    private synchronized void list(Recommendations list, long receivedMs) {
        int sequence = load.sequenceOf(list.getEventTime().toEpochMilli());
        if (sequence < 0) {
            foreignLists++;
            return;
        }
        lastListAtMs = receivedMs;
        int seen = listsPerClick.merge(sequence, 1, Integer::sum);
        if (seen == 1) {
            long scheduled = load.scheduledMs(sequence);
            long bucket = (scheduled - load.wallStartMs()) / BUCKET.toMillis();
            latencyByBucket.computeIfAbsent(bucket, key -> new Histogram(600_000L, 3))
                    .recordValue(Math.max(0, Math.min(600_000L, receivedMs - scheduled)));
        }
    }

    private synchronized void deadLetter(Headers headers) {
        String kind = text(headers, ClickLoad.KIND_HEADER);
        String reason = text(headers, DeadLetterHeaders.EXCEPTION) == null ? OUTSIDE_CONVENTION
                : text(headers, DeadLetterHeaders.REASON);
        if (ClickLoad.VALID.equals(kind)) {
            validDeadLettered.set(Integer.parseInt(text(headers, ClickLoad.SEQUENCE_HEADER)));
        } else if (FuzzRecords.FUZZ.equals(kind)) {
            badDeadLettered.putIfAbsent(text(headers, FuzzRecords.ID_HEADER), reason == null ? "(none)" : reason);
        } else {
            unmarkedDeadLetters++;
        }
    }

    private static String text(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Counts over the clicks scheduled so far. */
    record Tally(int clicks, int answered, int lost, int duplicated, int validDeadLettered, long foreignLists,
                 long unmarkedDeadLetters) { }

    synchronized Tally tally() {
        int clicks = load.scheduled();
        int answered = 0;
        int duplicated = 0;
        for (int count : listsPerClick.values()) {
            answered++;
            duplicated += count - 1;
        }
        int deadLettered = validDeadLettered.cardinality();
        int lost = 0;
        for (int sequence = 0; sequence < clicks; sequence++) {
            if (!listsPerClick.containsKey(sequence) && !validDeadLettered.get(sequence)) {
                lost++;
            }
        }
        return new Tally(clicks, answered, lost, duplicated, deadLettered, foreignLists, unmarkedDeadLetters);
    }

    /** The reason each dead-lettered bad record got, by its fuzz id. */
    synchronized Map<String, String> badDeadLettered() {
        return Map.copyOf(badDeadLettered);
    }

    /** True when {@code ids} have all been dead-lettered. */
    synchronized boolean allDeadLettered(Set<String> ids) {
        return badDeadLettered.keySet().containsAll(ids);
    }

    /** p99 latency in ms per bucket start (seconds since the load's origin). */
    synchronized TreeMap<Double, Double> p99ByBucket() {
        TreeMap<Double, Double> p99 = new TreeMap<>();
        latencyByBucket.forEach((bucket, histogram) -> p99.put(bucket * BUCKET.toMillis() / 1000.0,
                (double) histogram.getValueAtPercentile(99)));
        return p99;
    }

    /**
     * The typical p99 latency (ms) of the clicks sent between two offsets from the load's start: the median of the
     * 2-second buckets' p99, so one hiccup inside the window does not set the bar the recovery is measured by.
     */
    synchronized double typicalP99Between(Duration from, Duration to) {
        double[] p99s = latencyByBucket.subMap(from.toMillis() / BUCKET.toMillis(), to.toMillis() / BUCKET.toMillis())
                .values().stream().mapToDouble(histogram -> histogram.getValueAtPercentile(99)).sorted().toArray();
        return p99s.length == 0 ? Double.NaN : p99s[p99s.length / 2];
    }

    /** One line per bucket: seconds since the load started, answered clicks, p50 and p99 latency (ms). */
    synchronized String latencyCsv() {
        StringBuilder csv = new StringBuilder("send_second,clicks_answered,p50_ms,p99_ms,max_ms\n");
        latencyByBucket.forEach((bucket, histogram) -> csv.append(bucket * BUCKET.toSeconds()).append(',')
                .append(histogram.getTotalCount()).append(',').append(histogram.getValueAtPercentile(50)).append(',')
                .append(histogram.getValueAtPercentile(99)).append(',').append(histogram.getMaxValue()).append('\n'));
        return csv.toString();
    }

    /** When the last list arrived (wall clock ms), 0 before the first. */
    synchronized long lastListAtMs() {
        return lastListAtMs;
    }

    /** Stops {@link #run()}: it returns after its current poll. */
    void stop() {
        running.set(false);
        lists.wakeup();
    }

    @Override
    public void close() {
        stop();
    }

    /** Closes the consumers; call after {@link #run()} has returned. */
    void closeConsumers() {
        lists.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        deadLetters.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
