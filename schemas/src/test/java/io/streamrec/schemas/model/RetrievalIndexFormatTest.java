package io.streamrec.schemas.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class RetrievalIndexFormatTest {

    @Test
    void theUnitSphereKeepsTheInnerProductOrder() {
        Random random = new Random(3);
        int items = 200;
        int dimension = 5;
        float[] rows = new float[items * dimension];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) (random.nextGaussian() * (1 + i / dimension % 7)); // norms differ a lot
        }
        float[] query = {0.3f, -1.2f, 2.0f, 0.1f, -0.4f};
        List<float[]> unit = RetrievalIndexFormat.onUnitSphere(rows, items, dimension);
        float[] unitQuery = RetrievalIndexFormat.unitQuery(query);
        for (float[] vector : unit) {
            assertThat(dot(vector, vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        for (int a = 0; a < items; a++) {
            for (int b = 0; b < items; b++) {
                double inner = innerProduct(rows, a, query) - innerProduct(rows, b, query);
                double transformed = dot(unit.get(a), unitQuery) - dot(unit.get(b), unitQuery);
                if (Math.abs(inner) > 1e-3) {
                    assertThat(Math.signum(transformed)).isEqualTo(Math.signum(inner));
                }
            }
        }
    }

    @Test
    void packedFilesComeBackInOrder() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("segments_1", "segments".getBytes(StandardCharsets.UTF_8));
        files.put("_0.cfs", new byte[100_000]);
        files.put("_0.si", new byte[0]);
        Map<String, byte[]> back = RetrievalIndexFormat.unpack(RetrievalIndexFormat.pack(files), Long.MAX_VALUE);
        assertThat(back.keySet()).containsExactly("segments_1", "_0.cfs", "_0.si");
        assertThat(back.get("segments_1")).isEqualTo(files.get("segments_1"));
        assertThat(back.get("_0.cfs")).hasSize(100_000);
        assertThat(RetrievalIndexFormat.unpack(RetrievalIndexFormat.pack(files), 100_008)).hasSize(3);
    }

    @Test
    void unsafeNamesOversizedFilesAndEmptyZipsAreRefused() throws IOException {
        assertThatThrownBy(() -> RetrievalIndexFormat.unpack(zipOf("../etc/passwd"), 1_000))
                .isInstanceOf(IOException.class).hasMessageContaining("../etc/passwd");
        assertThatThrownBy(() -> RetrievalIndexFormat.unpack(RetrievalIndexFormat.pack(Map.of("big", new byte[2_000])),
                1_000)).isInstanceOf(IOException.class).hasMessageContaining("1000 bytes");
        assertThatThrownBy(() -> RetrievalIndexFormat.unpack(zipOf(), 1_000))
                .isInstanceOf(IOException.class).hasMessageContaining("no file");
        assertThatThrownBy(() -> RetrievalIndexFormat.pack(Map.of("dir/file", new byte[1])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] zipOf(String... names) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            for (String name : names) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(1);
                zip.closeEntry();
            }
        }
        return buffer.toByteArray();
    }

    private static double innerProduct(float[] rows, int row, float[] query) {
        double sum = 0;
        for (int d = 0; d < query.length; d++) {
            sum += (double) rows[row * query.length + d] * query[d];
        }
        return sum;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += (double) a[d] * b[d];
        }
        return sum;
    }
}
