package io.streamrec.app.retrieval;

import io.streamrec.schemas.model.RetrievalIndexFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * The retrieval index a release ships ({@link RetrievalIndexFormat}): the trainer built Lucene's HNSW graph once,
 * and loading it here is copying its files into memory and opening them, seconds where building takes minutes
 * at a million items. Searched like {@link HnswIndex} (the unit-sphere reduction, a beam as wide as the
 * candidates asked for, exclusions inside the search), through Lucene's own reader, which serves concurrent
 * searches.
 *
 * <p>Holds the index files on the heap ({@link ByteBuffersDirectory}): no local disk to manage or clean up, and
 * the same memory an index built here would take. Lifetime: owned by the model it belongs to, closed with it.
 */
public final class ShippedIndex implements RetrievalIndex {

    private final ByteBuffersDirectory directory;
    private final DirectoryReader reader;
    private final LeafReader leaf;
    private final int dimension;
    private final long bytes;

    private ShippedIndex(ByteBuffersDirectory directory, DirectoryReader reader, int dimension, long bytes) {
        this.directory = directory;
        this.reader = reader;
        this.leaf = reader.leaves().get(0).reader();
        this.dimension = dimension;
        this.bytes = bytes;
    }

    /**
     * Opens a packed index and checks that it is one over {@code items} items of {@code dimension}-wide queries.
     *
     * @param maxBytes most bytes the index's files may hold together
     * @throws IOException when the bytes are not such an index (the message says why)
     */
    public static ShippedIndex open(byte[] packed, int items, int dimension, long maxBytes) throws IOException {
        Map<String, byte[]> files = RetrievalIndexFormat.unpack(packed, maxBytes);
        ByteBuffersDirectory directory = new ByteBuffersDirectory();
        long bytes = 0;
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                bytes += file.getValue().length;
                try (IndexOutput out = directory.createOutput(file.getKey(), IOContext.DEFAULT)) {
                    out.writeBytes(file.getValue(), file.getValue().length);
                }
            }
            DirectoryReader reader = DirectoryReader.open(directory);
            try {
                check(reader, items, dimension);
                return new ShippedIndex(directory, reader, dimension, bytes);
            } catch (IOException | RuntimeException e) {
                reader.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
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

    @Override
    public int size() {
        return leaf.maxDoc();
    }

    /** The index files' bytes: the graph and the vectors it walks. */
    @Override
    public long structureBytes() {
        return bytes;
    }

    @Override
    public int[] search(float[] query, int count, IntPredicate excluded) {
        ExactIndex.checkQuery(query, dimension);
        int size = leaf.maxDoc();
        try {
            TopDocs top = leaf.searchNearestVectors(RetrievalIndexFormat.VECTOR_FIELD,
                    RetrievalIndexFormat.unitQuery(query), Math.min(count, size), new AcceptedItems(size, excluded),
                    Integer.MAX_VALUE);
            return HnswIndex.items(top.scoreDocs);
        } catch (IOException e) {
            throw new UncheckedIOException("searching the shipped retrieval index failed", e);
        }
    }

    @Override
    public void close() {
        try (directory; reader) {
            // closes the reader, then the directory
        } catch (IOException e) {
            throw new UncheckedIOException("closing the shipped retrieval index failed", e);
        }
    }
}
