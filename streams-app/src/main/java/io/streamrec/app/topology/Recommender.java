package io.streamrec.app.topology;

import ai.onnxruntime.OrtException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamrec.app.model.LoadedModel;
import io.streamrec.app.model.ModelLease;
import io.streamrec.app.model.ModelRegistry;
import io.streamrec.app.retrieval.TopK;
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
 * of users per ONNX Runtime call, minus what each user has seen, top K. A two-stage model
 * ({@link LoadedModel#retrieval()}) first finds each user's best few hundred unseen items in its retrieval
 * index and ranks only those, so nothing per click grows with the catalogue. Without a model, or for a user the
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
    private final Timer retrievalLatency;

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
                .description("One scoring of a batch of users: the whole catalogue (one ONNX Runtime call per"
                        + " model batch), or a two-stage model's query, retrieval and ranking")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
        this.retrievalLatency = Timer.builder("streamrec.retrieval.latency")
                .description("The index searches of one batch of a two-stage model (its query and ranking calls are"
                        + " in streamrec.scoring.latency)")
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
        long[] scoredUsers = Arrays.copyOf(users, count);
        long[][] scoredHistories = Arrays.copyOf(histories, count);
        List<ListRequest> scored = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            scored.add(requests.get(positions[j]));
        }
        Recommendations[] made = model.retrieval().isPresent()
                ? twoStage(model, scored, scoredUsers, scoredHistories, k, nowMs)
                : wholeCatalogue(model, scored, scoredUsers, scoredHistories, k, nowMs);
        if (made == null) {
            return;
        }
        for (int j = 0; j < count; j++) {
            lists[positions[j]] = made[j];
            modelLists.increment();
        }
    }

    private Recommendations[] wholeCatalogue(LoadedModel model, List<ListRequest> requests, long[] users,
                                             long[][] histories, int k, long nowMs) {
        float[][] scores = score(model, users, histories, () -> model.scoreCatalogue(users, histories));
        if (scores == null) {
            return null;
        }
        Recommendations[] made = new Recommendations[requests.size()];
        for (int j = 0; j < made.length; j++) {
            made[j] = ranked(model, requests.get(j), scores[j], k, nowMs);
        }
        return made;
    }

    /**
     * Retrieval, then ranking: each user's query vector (one session call per batch), their best unseen
     * candidates from the index, and those candidates scored by the ranker (one more call per batch).
     */
    private Recommendations[] twoStage(LoadedModel model, List<ListRequest> requests, long[] users,
                                       long[][] histories, int k, long nowMs) {
        LoadedModel.Retrieval retrieval = model.retrieval().orElseThrow();
        long[][] candidates = new long[requests.size()][];
        int[] found = new int[requests.size()];
        float[][] scores = score(model, users, histories, () -> {
            float[][] queries = model.retrievalQueries(users, histories);
            long start = System.nanoTime();
            for (int j = 0; j < queries.length; j++) {
                int[] seen = excludeSeen ? seenIndices(model, requests.get(j)) : new int[0];
                int[] items = retrieval.index().search(queries[j], retrieval.candidates(),
                        index -> Arrays.binarySearch(seen, index) >= 0);
                found[j] = items.length;
                candidates[j] = paddedCandidates(items, retrieval.candidates());
            }
            retrievalLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return model.scoreCandidates(users, histories, candidates);
        });
        if (scores == null) {
            return null;
        }
        Recommendations[] made = new Recommendations[requests.size()];
        for (int j = 0; j < made.length; j++) {
            int[] best = TopK.select(Arrays.copyOf(scores[j], found[j]), k, position -> false);
            List<RecommendedItem> items = new ArrayList<>(best.length);
            for (int position : best) {
                int index = (int) candidates[j][position - 1];
                items.add(new RecommendedItem(model.itemId(index), scores[j][position - 1]));
            }
            made[j] = list(model, requests.get(j), items, nowMs);
        }
        return made;
    }

    /** The user's seen items as sorted model indices: a history is at most a few hundred items. */
    private static int[] seenIndices(LoadedModel model, ListRequest request) {
        return request.historyItems().stream().mapToInt(model::itemIndex).filter(index -> index != 0)
                .sorted().distinct().toArray();
    }

    /**
     * The found items as a candidates row of the fixed width the batch's tensor needs; a short row (a tiny
     * catalogue, or a user who has seen nearly all of it) repeats its first item, and only the first
     * {@code items.length} scores are read.
     */
    private static long[] paddedCandidates(int[] items, int width) {
        long[] row = new long[width];
        for (int c = 0; c < width; c++) {
            row[c] = items.length == 0 ? 1 : items[c < items.length ? c : 0];
        }
        return row;
    }

    /** A scoring step of a batch: may fail with ONNX Runtime's exception. */
    @FunctionalInterface
    private interface Scoring {
        float[][] run() throws OrtException;
    }

    /** The batch's scores, or null when scoring failed (logged and counted; the batch falls back). */
    private float[][] score(LoadedModel model, long[] users, long[][] histories, Scoring scoring) {
        long start = System.nanoTime();
        try {
            float[][] scores = scoring.run();
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
        return list(model, request, items, nowMs);
    }

    private static Recommendations list(LoadedModel model, ListRequest request, List<RecommendedItem> items,
                                        long nowMs) {
        return new Recommendations(request.userId(), items, model.info().name(), model.info().version(), false,
                request.eventTime(), Instant.ofEpochMilli(nowMs));
    }
}
