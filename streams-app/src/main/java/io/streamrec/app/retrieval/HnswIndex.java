package io.streamrec.app.retrieval;

import io.streamrec.schemas.model.RetrievalIndexFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's HNSW graph over the item vectors, built in memory ({@code org.apache.lucene.util.hnsw}, no index
 * files) and searched with a beam as wide as the candidates asked for.
 *
 * <p>Inner product is not a metric, and an HNSW graph built on it directly navigates badly when the items'
 * norms differ (measured: a third of the exact top-10 lost at 500 candidates over 100,000 items). So the index
 * searches the reduction to the unit sphere instead ({@link RetrievalIndexFormat#onUnitSphere}), the one a
 * release's shipped index uses ({@link ShippedIndex}). Excluded items are filtered during the search
 * ({@link AcceptedItems}), so a user's seen items cost nothing that grows with the catalogue.
 *
 * <p>Lucene's graph keeps a neighbour cursor of its own ({@code seek} / {@code nextNeighbor}), so concurrent
 * searches each walk the finished graph through a {@link GraphView} with a cursor of their own; the graph is
 * never written after {@link #build}.
 */
public final class HnswIndex implements RetrievalIndex {

    /** The graph's level assignment seed: equal vectors and settings give the same single-threaded graph. */
    private static final long SEED = 42L;

    /** How the index meets the inner product. */
    public enum Geometry {
        /** Lucene's own maximum-inner-product similarity on the vectors as they are. */
        INNER_PRODUCT,
        /** The reduction to the unit sphere (see the class comment), searched by dot product. */
        UNIT_SPHERE
    }

    private final RandomAccessVectorValues.Floats vectors;
    private final OnHeapHnswGraph graph;
    private final int dimension;
    private final Geometry geometry;

    private HnswIndex(RandomAccessVectorValues.Floats vectors, OnHeapHnswGraph graph, int dimension,
                      Geometry geometry) {
        this.vectors = vectors;
        this.graph = graph;
        this.dimension = dimension;
        this.geometry = geometry;
    }

    private static VectorSimilarityFunction similarity(Geometry geometry) {
        return geometry == Geometry.UNIT_SPHERE ? VectorSimilarityFunction.DOT_PRODUCT
                : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    }

    /**
     * Builds the graph over {@code items} rows of {@code dimension} floats (row r is model index r + 1), copied.
     *
     * @param threads threads inserting nodes concurrently (Lucene's concurrent merge builder); 1 builds in the
     *                caller's thread, and then stops when the thread is interrupted
     * @throws java.util.concurrent.CancellationException when the one building thread was interrupted (the app
     *                is stopping: at 10^6 items the build takes minutes)
     */
    public static HnswIndex build(float[] rows, int items, int dimension, Geometry geometry, int maxConnections,
                                  int beamWidth, int threads) {
        if (items < 1 || dimension < 1 || rows.length < (long) items * dimension) {
            throw new IllegalArgumentException(rows.length + " floats cannot hold " + items + " rows of "
                    + dimension);
        }
        RandomAccessVectorValues.Floats vectors = geometry == Geometry.UNIT_SPHERE
                ? RandomAccessVectorValues.fromFloats(RetrievalIndexFormat.onUnitSphere(rows, items, dimension),
                        dimension + 1)
                : RandomAccessVectorValues.fromFloats(asIs(rows, items, dimension), dimension);
        try {
            RandomVectorScorerSupplier scorers = DefaultFlatVectorScorer.INSTANCE
                    .getRandomVectorScorerSupplier(similarity(geometry), vectors);
            HnswGraphBuilder builder = HnswGraphBuilder.create(scorers, maxConnections, beamWidth, SEED, items);
            OnHeapHnswGraph graph = threads == 1 ? buildInterruptibly(builder, items)
                    : buildConcurrently(scorers, maxConnections, beamWidth, builder.getGraph(), items, threads);
            return new HnswIndex(vectors, graph, dimension, geometry);
        } catch (IOException e) {
            throw new UncheckedIOException("building the HNSW graph in memory failed", e);
        }
    }

    /**
     * An index over a graph built elsewhere ({@link ShippedIndex}): {@code unitVectors} are the items on the unit
     * sphere, one wider than the queries, vector r the graph's node r.
     */
    static HnswIndex ofUnitSphere(List<float[]> unitVectors, OnHeapHnswGraph graph) {
        int width = unitVectors.get(0).length;
        return new HnswIndex(RandomAccessVectorValues.fromFloats(unitVectors, width), graph, width - 1,
                Geometry.UNIT_SPHERE);
    }

    private static List<float[]> asIs(float[] rows, int items, int dimension) {
        List<float[]> list = new ArrayList<>(items);
        for (int row = 0; row < items; row++) {
            list.add(java.util.Arrays.copyOfRange(rows, row * dimension, (row + 1) * dimension));
        }
        return list;
    }

    /** What {@link HnswGraphBuilder#build} does, node by node, checking for an interrupt every 1,024 nodes. */
    private static OnHeapHnswGraph buildInterruptibly(HnswGraphBuilder builder, int items) throws IOException {
        for (int node = 0; node < items; node++) {
            if ((node & 1023) == 0 && Thread.currentThread().isInterrupted()) {
                throw new CancellationException("the HNSW build was interrupted after " + node + " of " + items
                        + " items");
            }
            builder.addGraphNode(node);
        }
        return builder.getCompletedGraph();
    }

    private static OnHeapHnswGraph buildConcurrently(RandomVectorScorerSupplier scorers, int maxConnections,
                                                     int beamWidth, OnHeapHnswGraph empty, int items, int threads)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "streamrec-hnsw-build");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads, scorers, maxConnections,
                    beamWidth, empty, null).build(items);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public int size() {
        return vectors.size();
    }

    @Override
    public long structureBytes() {
        return graph.ramBytesUsed();
    }

    @Override
    public int[] search(float[] query, int count, IntPredicate excluded) {
        ExactIndex.checkQuery(query, dimension);
        int size = vectors.size();
        try {
            RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(similarity(geometry),
                    vectors, geometry == Geometry.UNIT_SPHERE ? RetrievalIndexFormat.unitQuery(query) : query);
            TopKnnCollector collector = new TopKnnCollector(Math.min(count, size), Integer.MAX_VALUE);
            HnswGraphSearcher.search(scorer, collector, new GraphView(graph), new AcceptedItems(size, excluded));
            return items(collector.topDocs().scoreDocs);
        } catch (IOException e) {
            throw new UncheckedIOException("searching the in-memory HNSW graph failed", e);
        }
    }

    /** The model indices of Lucene's hits (ordinal or document {@code d} is model index {@code d + 1}), in order. */
    static int[] items(ScoreDoc[] found) {
        int[] items = new int[found.length];
        for (int i = 0; i < found.length; i++) {
            items[i] = found[i].doc + 1;
        }
        return items;
    }

    /** A read-only walk of a finished graph with its own neighbour cursor; one per search. */
    private static final class GraphView extends HnswGraph {

        private final OnHeapHnswGraph graph;
        private int[] neighbours;
        private int count;
        private int next;

        GraphView(OnHeapHnswGraph graph) {
            this.graph = graph;
        }

        @Override
        public void seek(int level, int target) {
            NeighborArray array = graph.getNeighbors(level, target);
            neighbours = array.nodes();
            count = array.size();
            next = 0;
        }

        @Override
        public int size() {
            return graph.size();
        }

        @Override
        public int maxNodeId() {
            return graph.maxNodeId();
        }

        @Override
        public int nextNeighbor() {
            return next < count ? neighbours[next++] : DocIdSetIterator.NO_MORE_DOCS;
        }

        @Override
        public int numLevels() {
            return graph.numLevels();
        }

        @Override
        public int entryNode() {
            return graph.entryNode();
        }

        @Override
        public NodesIterator getNodesOnLevel(int level) {
            return graph.getNodesOnLevel(level);
        }
    }
}
