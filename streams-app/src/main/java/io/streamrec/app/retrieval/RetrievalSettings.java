package io.streamrec.app.retrieval;

import java.util.Locale;

/**
 * When the streams app serves in two stages and how it builds the index. Immutable.
 *
 * @param minItems       catalogues of at least this many items use the retrieval stage when the release offers
 *                       one; smaller ones are scored whole (exact, and cheap at that size)
 * @param candidates     how many retrieved items the ranker scores per list
 * @param kind           which index
 * @param maxConnections HNSW: neighbours kept per node (Lucene's M)
 * @param beamWidth      HNSW: candidates considered while inserting a node (Lucene's beamWidth)
 * @param buildThreads   HNSW: threads that insert nodes while the index is built
 */
public record RetrievalSettings(int minItems, int candidates, Kind kind, int maxConnections, int beamWidth,
                                int buildThreads) {

    /** The index implementations. */
    public enum Kind {
        /**
         * Lucene's hierarchical navigable small-world graph over the items reduced to the unit sphere:
         * approximate, sublinear in N.
         */
        HNSW,
        /** The same graph with Lucene's maximum-inner-product similarity on the vectors as they are. */
        HNSW_MIP,
        /** Every item's inner product: exact, linear in N. */
        EXACT;

        /** The configuration value, e.g. {@code hnsw}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Parses {@link #label()}. */
        public static Kind parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** Validates the ranges. */
    public RetrievalSettings {
        if (minItems < 1 || candidates < 1 || maxConnections < 2 || beamWidth < 1 || buildThreads < 1) {
            throw new IllegalArgumentException("invalid retrieval settings: minItems=" + minItems + " candidates="
                    + candidates + " maxConnections=" + maxConnections + " beamWidth=" + beamWidth
                    + " buildThreads=" + buildThreads);
        }
        java.util.Objects.requireNonNull(kind, "kind");
    }

    /** The defaults of the configuration keys. */
    public static RetrievalSettings defaults() {
        return new RetrievalSettings(50_000, 500, Kind.HNSW, 16, 32, 1);
    }

    /** Whether a catalogue of {@code items} is served in two stages (when the release offers a retrieval stage). */
    public boolean appliesTo(int items) {
        return items >= minItems;
    }

    /** Builds the index this configures over {@code rows} ({@code items} rows of {@code dimension} floats). */
    public RetrievalIndex build(float[] rows, int items, int dimension) {
        switch (kind) {
            case EXACT:
                return new ExactIndex(rows, items, dimension);
            case HNSW_MIP:
                return HnswIndex.build(rows, items, dimension, HnswIndex.Geometry.INNER_PRODUCT, maxConnections,
                        beamWidth, buildThreads);
            default:
                return HnswIndex.build(rows, items, dimension, HnswIndex.Geometry.UNIT_SPHERE, maxConnections,
                        beamWidth, buildThreads);
        }
    }
}
