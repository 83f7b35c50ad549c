package io.streamrec.trainer.export;

/**
 * How an exported graph meets its candidates. Both give the same scores for any candidates; they differ in
 * what a request costs.
 */
public enum CandidateScoring {

    /**
     * Gather the item tables' rows of each candidate, then score them: the cost grows with the number of
     * (user, candidate) pairs. The choice when requests name a few candidates.
     */
    GATHER,

    /**
     * Score every item for each user, reading the item tables as they are (constant operands, no
     * per-candidate copies), then pick the requested candidates from the result: the cost is that of the
     * whole catalogue whatever the candidates. The choice when requests cover the catalogue, as the streams
     * app's full-catalogue ranking does. Applies to GMF, MLP, NeuMF and ANeuMF; the history-attentive variant
     * always gathers (its per-candidate attention dominates, and a gather keeps its per-(user, candidate) rows
     * flat).
     */
    CATALOGUE;

    /**
     * From this many items up a graph is exported to {@link #GATHER} even when {@link #CATALOGUE} is asked for:
     * the streams app serves such catalogues in two stages (its {@code retrieval.min.items}, same default) and
     * ranks a few hundred retrieved candidates per list, which a catalogue graph would score as the whole
     * catalogue.
     */
    public static final int GATHER_FROM_ITEMS = 50_000;

    /** {@code requested}, or {@link #GATHER} for a catalogue of at least {@link #GATHER_FROM_ITEMS} items. */
    public static CandidateScoring forCatalogue(CandidateScoring requested, int items) {
        return requested == CATALOGUE && items >= GATHER_FROM_ITEMS ? GATHER : requested;
    }

    /** The metadata value, e.g. {@code catalogue}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
