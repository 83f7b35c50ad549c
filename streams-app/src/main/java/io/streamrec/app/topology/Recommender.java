package io.streamrec.app.topology;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes users' ranked lists from their histories: the whole catalogue scored by the serving model, a batch
 * of users per ONNX Runtime call, minus what each user has seen, top K. Without a model, or for a user the
 * model knows nothing about (unknown user and no known item in the history), the list comes from popularity and
 * says so ({@code fallback = true}, model name {@value #POPULARITY}). Used for batches of clicks by the topology
 * and for one request at a time by the HTTP API, so both answer alike.
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
    private final DistributionSummary batchSizes;

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
                .description("One full-catalogue scoring of a batch of users (one ONNX Runtime call per"
                        + " model batch)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
        this.batchSizes = DistributionSummary.builder("streamrec.scoring.batch.size")
                .description("Users scored together in one scoring call").register(meters);
    }

    /**
     * What one list is computed from. Immutable.
     *
     * @param historyItems the user's recent items, oldest first, as of the click being answered
     * @param eventTime    the triggering event's time, copied into the list
     */
    public record ListRequest(String userId, List<String> historyItems, Instant eventTime) {
        public ListRequest {
            Objects.requireNonNull(userId, "userId");
            historyItems = List.copyOf(historyItems);
            Objects.requireNonNull(eventTime, "eventTime");
        }
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
        return recommend(List.of(new ListRequest(userId, history.itemIds(), eventTime)), k, nowMs, popular).get(0);
    }

    /**
     * The top {@code k} lists of a batch of requests, in request order: the users the model can score are
     * scored together, under one lease of the serving model, in one session call per
     * {@link LoadedModel#maxBatch()} users; the others get the popularity fallback.
     *
     * @param nowMs   wall-clock time, every list's {@code generatedAt}
     * @param popular where the fallback comes from
     */
    public List<Recommendations> recommend(List<ListRequest> requests, int k, long nowMs, PopularItems popular) {
        Recommendations[] lists = new Recommendations[requests.size()];
        Optional<ModelLease> lease = models.acquire();
        if (lease.isPresent()) {
            try (ModelLease held = lease.get()) {
                fromModel(held.model(), requests, k, nowMs, lists);
            }
        }
        for (int i = 0; i < lists.length; i++) {
            if (lists[i] == null) {
                lists[i] = fromPopularity(requests.get(i), k, nowMs, popular);
            }
        }
        return Arrays.asList(lists);
    }

    private Recommendations fromPopularity(ListRequest request, int k, long nowMs, PopularItems popular) {
        fallbackLists.increment();
        Set<String> seen = excludeSeen ? new HashSet<>(request.historyItems()) : Set.of();
        List<RecommendedItem> items = new ArrayList<>(k);
        for (PopularItems.RankedItem item : popular.top(k, seen)) {
            items.add(new RecommendedItem(item.itemId(), (float) item.count()));
        }
        return new Recommendations(request.userId(), items, POPULARITY, null, true, request.eventTime(),
                Instant.ofEpochMilli(nowMs));
    }

    /** Fills {@code lists[i]} for each request the model can personalise; leaves the others null. */
    private void fromModel(LoadedModel model, List<ListRequest> requests, int k, long nowMs,
                           Recommendations[] lists) {
        int[] positions = new int[requests.size()];
        long[] users = new long[requests.size()];
        long[][] histories = new long[requests.size()][];
        int count = 0;
        for (int i = 0; i < requests.size(); i++) {
            int userIndex = model.userIndex(requests.get(i).userId());
            long[] historyInput = model.historyInput(requests.get(i).historyItems());
            boolean knowsHistory = historyInput[historyInput.length - 1] != 0;
            if (userIndex != 0 || knowsHistory) { // else nothing personal to go on: popularity is the honest answer
                positions[count] = i;
                users[count] = userIndex;
                histories[count++] = historyInput;
            }
        }
        if (count == 0) {
            return;
        }
        float[][] scores = score(model, Arrays.copyOf(users, count), Arrays.copyOf(histories, count));
        if (scores == null) {
            return;
        }
        for (int j = 0; j < count; j++) {
            int i = positions[j];
            lists[i] = ranked(model, requests.get(i), scores[j], k, nowMs);
            modelLists.increment();
        }
    }

    /** One scoring call for the batch, or null when it failed (logged and counted; the batch falls back). */
    private float[][] score(LoadedModel model, long[] users, long[][] histories) {
        long start = System.nanoTime();
        try {
            float[][] scores = model.scoreCatalogue(users, histories);
            scoringLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchSizes.record(users.length);
            return scores;
        } catch (OrtException | RuntimeException e) {
            scoringFailures.increment();
            log.warn("event=scoring_failed model={} version={} users={} error=\"{}\"", model.info().name(),
                    model.info().version(), users.length, e.getMessage());
            return null;
        }
    }

    private Recommendations ranked(LoadedModel model, ListRequest request, float[] scores, int k, long nowMs) {
        // A bit set, not a scan of the history per candidate: the catalogue is thousands of items, the history
        // up to hundreds, and this runs on every click.
        BitSet seenIndices = new BitSet(scores.length + 1);
        if (excludeSeen) {
            for (String itemId : request.historyItems()) {
                seenIndices.set(model.itemIndex(itemId));
            }
        }
        int[] top = TopK.select(scores, k, seenIndices::get);
        List<RecommendedItem> items = new ArrayList<>(top.length);
        for (int index : top) {
            items.add(new RecommendedItem(model.itemId(index), scores[index - 1]));
        }
        return new Recommendations(request.userId(), items, model.info().name(), model.info().version(), false,
                request.eventTime(), Instant.ofEpochMilli(nowMs));
    }
}
