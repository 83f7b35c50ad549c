package io.streamrec.schemas.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The contract of a release's retrieval index ({@code ModelRelease.retrievalIndex}) between the trainer, which
 * builds it, and the streams app, which loads it: a Lucene index of one segment whose document {@code d} is the
 * item of model index {@code d + 1}, with one float vector field {@value #VECTOR_FIELD} holding the item's
 * {@code retrieval_items} row reduced to the unit sphere ({@link #onUnitSphere}), searched by dot product with
 * {@link #unitQuery}. The index's files travel as one uncompressed zip (vectors do not compress), each file at
 * the top level.
 *
 * <p>Why the unit sphere: inner product is not a metric, and an HNSW graph built on it directly navigates badly
 * when the items' norms differ. The standard reduction (Bachrach et al., 2014) maps item {@code x} to
 * {@code [x / M, sqrt(1 - |x|² / M²)]}, with {@code M} the largest item norm, and query {@code q} to
 * {@code [q / |q|, 0]}; their dot product is {@code q · x / (|q| M)}, which orders items as the inner product
 * does, and every transformed item has norm 1, where dot product is a metric.
 */
public final class RetrievalIndexFormat {

    /** The {@code ReleaseArtifact.format} of such an index. */
    public static final String FORMAT = "lucene-hnsw-unit-sphere.v1";
    /** The vector field of every document. */
    public static final String VECTOR_FIELD = "item";
    /**
     * Lucene's M of the graph: neighbours per node (twice that on the bottom level). Fixed by the format, since
     * a reader sizes its copy of the graph by it.
     */
    public static final int MAX_CONNECTIONS = 16;
    /** Lucene's construction beam of the graph: 0.3 % less recall than 100 for a fifth of the build time. */
    public static final int BEAM_WIDTH = 32;

    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private RetrievalIndexFormat() {
    }

    /** The {@code items} rows of {@code dimension} floats as unit vectors one wider (see the class comment). */
    public static List<float[]> onUnitSphere(float[] rows, int items, int dimension) {
        double largest = 0;
        for (int row = 0; row < items; row++) {
            largest = Math.max(largest, squaredNorm(rows, row * dimension, dimension));
        }
        double scale = largest == 0 ? 1 : 1 / Math.sqrt(largest);
        List<float[]> vectors = new ArrayList<>(items);
        for (int row = 0; row < items; row++) {
            float[] vector = new float[dimension + 1];
            for (int d = 0; d < dimension; d++) {
                vector[d] = (float) (rows[row * dimension + d] * scale);
            }
            double rest = 1 - squaredNorm(rows, row * dimension, dimension) * scale * scale;
            vector[dimension] = (float) Math.sqrt(Math.max(0, rest));
            vectors.add(vector);
        }
        return vectors;
    }

    /** {@code [q / |q|, 0]}: a zero query stays zero (every item ties). */
    public static float[] unitQuery(float[] query) {
        double norm = Math.sqrt(squaredNorm(query, 0, query.length));
        float[] unit = new float[query.length + 1];
        for (int d = 0; d < query.length; d++) {
            unit[d] = norm == 0 ? 0 : (float) (query[d] / norm);
        }
        return unit;
    }

    private static double squaredNorm(float[] values, int offset, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) values[offset + i] * values[offset + i];
        }
        return sum;
    }

    /** The index's files (name to bytes, names as {@link #unpack} accepts them) as one uncompressed zip. */
    public static byte[] pack(Map<String, byte[]> files) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                checkName(file.getKey());
                byte[] bytes = file.getValue();
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a zip to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    /** Where {@link #unpack(byte[], long, FileSink)} writes each file of an index. */
    @FunctionalInterface
    public interface FileSink {
        /** A stream for the named file's bytes, closed by the caller once they are written. */
        OutputStream create(String name) throws IOException;
    }

    /**
     * The files of a {@link #pack}ed index, in their order.
     *
     * @param maxBytes most bytes the files may hold together
     * @throws IOException when the bytes are not such a zip: a nested or unsafe name, a name twice, a file over
     *                     the limit, a bad CRC
     */
    public static Map<String, byte[]> unpack(byte[] packed, long maxBytes) throws IOException {
        Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
        unpack(packed, maxBytes, name -> {
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            files.put(name, file);
            return file;
        });
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((name, file) -> bytes.put(name, file.toByteArray()));
        return bytes;
    }

    /**
     * Writes the files of a {@link #pack}ed index to the sink, in their order, without holding a second copy of
     * them (at 10^6 items the files are hundreds of MB).
     *
     * @param maxBytes most bytes the files may hold together; past it nothing more is written
     * @throws IOException when the bytes are not such a zip (as {@link #unpack(byte[], long)}), or the sink fails
     */
    public static void unpack(byte[] packed, long maxBytes, FileSink sink) throws IOException {
        Set<String> names = new HashSet<>();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(packed))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName();
                if (!FILE_NAME.matcher(name).matches() || !names.add(name)) {
                    throw new IOException("the index holds a file named '" + name + "': names are plain, unique"
                            + " file names");
                }
                try (OutputStream out = sink.create(name)) {
                    for (int read = zip.read(buffer); read >= 0; read = zip.read(buffer)) {
                        total += read;
                        if (total > maxBytes) {
                            throw new IOException("the index's files hold more than " + maxBytes + " bytes");
                        }
                        out.write(buffer, 0, read);
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new IOException("the index holds no file");
        }
    }

    private static void checkName(String name) {
        if (!FILE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a plain file name");
        }
    }
}
