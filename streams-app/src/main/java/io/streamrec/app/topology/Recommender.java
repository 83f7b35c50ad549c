package io.streamrec.app.topology;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLease;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.avro.Recommendations;
import io.streamrec.avro.RecommendedItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a user's ranked list from their history: the whole catalogue scored by the serving model in one ONNX
 * Runtime call, minus what the user has seen, top K. Without a model, or for a user the model knows nothing
 * about (unknown user and no known item in the history), the list comes from popularity and says so
 * ({@code fallback = true}, model name {@value #POPULARITY}). Used per click by the topology and on demand by
 * the HTTP API, so both answer alike.
 *
 * <p>Thread-safe: the model is leased per call; the popularity source is the caller's.
 */
public final class Recommender {

    private static final Logger log = LoggerFactory.getLogger(Recommender.class);

    /** The model name a fallback list carries. */
    public static final String POPULARITY = "popularity";

    private final ModelRegistry models;
    private final boolean excludeSeen;
    private final Counter modelLists;
    private final Counter fallbackLists;
    private final Counter scoringFailures;
    private final Timer scoringLatency;

    public Recommender(ModelRegistry models, boolean excludeSeen, MeterRegistry meters) {
        this.models = models;
        this.excludeSeen = excludeSeen;
        this.modelLists = Counter.builder("streamrec.recommendations").tag("source", "model")
                .description("Recommendation lists computed").register(meters);
        this.fallbackLists = Counter.builder("streamrec.recommendations").tag("source", "fallback")
                .description("Recommendation lists computed").register(meters);
        this.scoringFailures = Counter.builder("streamrec.scoring.failures")
                .description("Scoring calls that failed and were answered by the fallback").register(meters);
        this.scoringLatency = Timer.builder("streamrec.scoring.latency")
                .description("One full-catalogue ONNX Runtime scoring call")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
    }

    /**
     * The top {@code k} list for a user.
     *
     * @param eventTime the triggering event's time, copied into the list
     * @param nowMs     wall-clock time, the list's {@code generatedAt}
     * @param popular   where the fallback comes from
     */
    public Recommendations recommend(String userId, UserHistory history, int k, Instant eventTime, long nowMs,
                                     PopularItems popular) {
        List<String> historyItems = history.itemIds();
        List<String> seen = excludeSeen ? historyItems : List.of();
        Optional<ModelLease> lease = models.acquire();
        if (lease.isPresent()) {
            try (ModelLease held = lease.get()) {
                Optional<Recommendations> fromModel = fromModel(held.model(), userId, historyItems, seen, k,
                        eventTime, nowMs);
                if (fromModel.isPresent()) {
                    modelLists.increment();
                    return fromModel.get();
                }
            }
        }
        fallbackLists.increment();
        List<RecommendedItem> items = new ArrayList<>(k);
        for (PopularItems.RankedItem item : popular.top(k, new HashSet<>(seen))) {
            items.add(new RecommendedItem(item.itemId(), (float) item.count()));
        }
        return new Recommendations(userId, items, POPULARITY, null, true, eventTime, Instant.ofEpochMilli(nowMs));
    }

    private Optional<Recommendations> fromModel(LoadedModel model, String userId, List<String> historyItems,
                                                List<String> seen, int k, Instant eventTime, long nowMs) {
        int userIndex = model.userIndex(userId);
        long[] historyInput = model.historyInput(historyItems);
        boolean knowsUser = userIndex != 0;
        boolean knowsHistory = historyInput[historyInput.length - 1] != 0;
        if (!knowsUser && !knowsHistory) {
            return Optional.empty(); // nothing personal to go on: popularity is the honest answer
        }
        float[] scores;
        long start = System.nanoTime();
        try {
            scores = model.scoreCatalogue(userIndex, historyInput);
        } catch (OrtException | RuntimeException e) {
            scoringFailures.increment();
            log.warn("event=scoring_failed model={} version={} user={} error=\"{}\"", model.info().name(),
                    model.info().version(), userId, e.getMessage());
            return Optional.empty();
        }
        scoringLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);

        // A bit set, not a scan of the history per candidate: the catalogue is thousands of items, the history
        // up to hundreds, and this runs on every click.
        BitSet seenIndices = new BitSet(scores.length + 1);
        for (String itemId : seen) {
            seenIndices.set(model.itemIndex(itemId));
        }
        int[] top = TopK.select(scores, k, seenIndices::get);
        List<RecommendedItem> items = new ArrayList<>(top.length);
        for (int index : top) {
            items.add(new RecommendedItem(model.itemId(index), scores[index - 1]));
        }
        return Optional.of(new Recommendations(userId, items, model.info().name(), model.info().version(), false,
                eventTime, Instant.ofEpochMilli(nowMs)));
    }
}
