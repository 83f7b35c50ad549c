package io.streamrec.app.retrieval;

import io.streamrec.schemas.model.RetrievalIndexFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.hnsw.InitializedHnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * The retrieval index a release ships ({@link RetrievalIndexFormat}): the trainer built Lucene's HNSW graph once;
 * loading it here is reading Lucene's files and copying the graph and the vectors onto the heap, seconds where
 * building takes minutes at a million items.
 *
 * <p>Why copied rather than searched in Lucene's files: Lucene's reader decodes a node's neighbour list and
 * reads each vector through an {@code IndexInput} on every visit, where the copy walks arrays. The copy
 * ({@link InitializedHnswGraphBuilder}, the step Lucene's own merges use) is searched exactly as an index built
 * here ({@link HnswIndex}), so both paths cost the same per search, and the files are released once it is made.
 * Immutable; thread-safe.
 */
public final class ShippedIndex implements RetrievalIndex {

    private final HnswIndex index;

    private ShippedIndex(HnswIndex index) {
        this.index = index;
    }

    /**
     * Opens a packed index, checks that it is one over {@code items} items of {@code dimension}-wide queries, and
     * copies it onto the heap.
     *
     * @param maxBytes most bytes the index's files may hold together
     * @throws IOException when the bytes are not such an index (the message says why)
     */
    public static ShippedIndex open(byte[] packed, int items, int dimension, long maxBytes) throws IOException {
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            RetrievalIndexFormat.unpack(packed, maxBytes, name -> new IndexFileStream(
                    directory.createOutput(name, IOContext.DEFAULT)));
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                check(reader, items, dimension);
                LeafReader leaf = reader.leaves().get(0).reader();
                return new ShippedIndex(HnswIndex.ofUnitSphere(vectors(leaf), graph(leaf, items)));
            }
        }
    }

    /** The format's promises: one segment, document d = item d + 1, unit vectors one wider than the query. */
    private static void check(DirectoryReader reader, int items, int dimension) throws IOException {
        if (reader.leaves().size() != 1 || reader.maxDoc() != items || reader.numDeletedDocs() != 0) {
            throw new IOException("the index has " + reader.leaves().size() + " segments and " + reader.maxDoc()
                    + " documents (" + reader.numDeletedDocs() + " deleted); the release needs one segment of "
                    + items + ", one per item");
        }
        FieldInfo field = reader.leaves().get(0).reader().getFieldInfos()
                .fieldInfo(RetrievalIndexFormat.VECTOR_FIELD);
        if (field == null || field.getVectorDimension() != dimension + 1
                || field.getVectorEncoding() != VectorEncoding.FLOAT32
                || field.getVectorSimilarityFunction() != VectorSimilarityFunction.DOT_PRODUCT) {
            throw new IOException("the index's field '" + RetrievalIndexFormat.VECTOR_FIELD + "' is "
                    + (field == null ? "missing" : field.getVectorDimension() + "-wide "
                    + field.getVectorEncoding() + " by " + field.getVectorSimilarityFunction())
                    + "; the release needs " + (dimension + 1) + "-wide FLOAT32 by DOT_PRODUCT");
        }
    }

    /** Every document's vector, in document order (every document has one: checked). */
    private static List<float[]> vectors(LeafReader leaf) throws IOException {
        FloatVectorValues values = leaf.getFloatVectorValues(RetrievalIndexFormat.VECTOR_FIELD);
        if (values.size() != leaf.maxDoc()) {
            throw new IOException(values.size() + " of the index's " + leaf.maxDoc() + " documents have a vector");
        }
        List<float[]> vectors = new ArrayList<>(values.size());
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
            vectors.add(values.vectorValue().clone()); // the reader reuses its array
        }
        return vectors;
    }

    /** The segment's graph, copied onto the heap with node r = document r. */
    private static OnHeapHnswGraph graph(LeafReader leaf, int items) throws IOException {
        KnnVectorsReader vectors = ((CodecReader) leaf).getVectorReader();
        if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader perField) {
            vectors = perField.getFieldReader(RetrievalIndexFormat.VECTOR_FIELD);
        }
        if (!(vectors instanceof HnswGraphProvider graphs)) {
            throw new IOException("the index's vectors format (" + vectors + ") holds no HNSW graph");
        }
        int[] sameOrdinals = new int[items];
        for (int node = 0; node < items; node++) {
            sameOrdinals[node] = node;
        }
        return InitializedHnswGraphBuilder.initGraph(RetrievalIndexFormat.MAX_CONNECTIONS,
                graphs.getGraph(RetrievalIndexFormat.VECTOR_FIELD), sameOrdinals, items);
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public long structureBytes() {
        return index.structureBytes();
    }

    @Override
    public int[] search(float[] query, int count, IntPredicate excluded) {
        return index.search(query, count, excluded);
    }

    /** Lucene's output for one file as the {@link OutputStream} the unpacking writes to. */
    private static final class IndexFileStream extends OutputStream {

        private final IndexOutput out;

        IndexFileStream(IndexOutput out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.writeByte((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.writeBytes(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
