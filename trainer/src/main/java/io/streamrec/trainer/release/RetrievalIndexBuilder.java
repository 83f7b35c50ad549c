package io.streamrec.trainer.release;

import io.streamrec.schemas.model.RetrievalIndexFormat;
import io.streamrec.trainer.export.RetrievalRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * Builds a release's retrieval index ({@link RetrievalIndexFormat}): Lucene's HNSW vectors format over the
 * graph's retrieval rows, written by Lucene's own {@link IndexWriter} into memory and packed. Building the graph
 * is the slow part of loading a large catalogue (minutes at a million items), so the trainer does it once per
 * release instead of every serving instance on every load.
 *
 * <p>The documents are added in item order by one thread and merged only with an order-keeping policy into one
 * segment, so document {@code d} is model index {@code d + 1}, as the format promises. Stateless; thread-safe.
 *
 * @param maxConnections neighbours kept per node (Lucene's M)
 * @param beamWidth      candidates considered while inserting a node
 */
record RetrievalIndexBuilder(int maxConnections, int beamWidth) {

    /** Lucene's cap on one indexing thread's buffer; the vectors and graph of 10^6 items stay well under it. */
    private static final int BUFFER_MB = 2_000;

    RetrievalIndexBuilder {
        if (maxConnections < 2 || beamWidth < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 2 and beamWidth >= 1, got "
                    + maxConnections + " and " + beamWidth);
        }
    }

    /** The packed index over {@code rows}. */
    byte[] build(RetrievalRows rows) {
        List<float[]> vectors = RetrievalIndexFormat.onUnitSphere(rows.values(), rows.items(), rows.dimension());
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            try (IndexWriter writer = new IndexWriter(directory, config())) {
                for (float[] vector : vectors) {
                    Document document = new Document();
                    document.add(new KnnFloatVectorField(RetrievalIndexFormat.VECTOR_FIELD, vector,
                            VectorSimilarityFunction.DOT_PRODUCT));
                    writer.addDocument(document);
                }
                writer.forceMerge(1);
                writer.commit();
            }
            return RetrievalIndexFormat.pack(files(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("building the retrieval index in memory failed", e);
        }
    }

    private IndexWriterConfig config() {
        KnnVectorsFormat vectors = new Lucene99HnswVectorsFormat(maxConnections, beamWidth);
        return new IndexWriterConfig()
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return vectors;
                    }
                })
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                .setRAMBufferSizeMB(BUFFER_MB)
                .setRAMPerThreadHardLimitMB(BUFFER_MB)
                .setMergePolicy(new LogDocMergePolicy())
                .setUseCompoundFile(false);
    }

    private static Map<String, byte[]> files(ByteBuffersDirectory directory) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : directory.listAll()) {
            try (IndexInput input = directory.openInput(name, IOContext.READONCE)) {
                byte[] bytes = new byte[Math.toIntExact(input.length())];
                input.readBytes(bytes, 0, bytes.length);
                files.put(name, bytes);
            }
        }
        return files;
    }
}
