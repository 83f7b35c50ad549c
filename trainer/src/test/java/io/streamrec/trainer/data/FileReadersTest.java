package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers on small files written by the test, in each format. */
class FileReadersTest {

    @TempDir
    Path dir;

    @Test
    void readsUData() throws IOException {
        Path file = dir.resolve("u.data");
        Files.writeString(file, "10\t100\t5\t300\n10\t200\t3\t100\n20\t100\t4\t50\n10\t300\t1\t200\n");
        Corpus corpus = MovieLensReader.readUData(file);
        assertThat(corpus.users().ids()).containsExactly("10", "20");
        assertThat(corpus.items().ids()).containsExactly("100", "200", "300");
        assertThat(corpus.interactions().itemsOf(1)).containsExactly(2, 3, 1);
        Dataset dataset = Dataset.leaveLastOut(corpus, 99, 1);
        assertThat(dataset.test().targetsOf(1)).containsExactly(1);
        assertThat(dataset.test().negativesOf(1)).isEmpty(); // user 10 has seen every item
        assertThat(dataset.test().targetCount(2)).isZero();
    }

    @Test
    void readsRatingsDat() throws IOException {
        Path file = dir.resolve("ratings.dat");
        Files.writeString(file, "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n");
        Corpus corpus = MovieLensReader.readAny(file);
        assertThat(corpus.interactions().size()).isEqualTo(3);
        assertThat(corpus.interactions().itemsOf(1)).containsExactly(corpus.items().indexOf("1193"), corpus.items().indexOf("661"));
    }

    @Test
    void readsTheNcfFormatAndDropsTheTargetFromItsNegatives() throws IOException {
        Files.writeString(dir.resolve("x.train.rating"), "0\t2\t5\t30\n0\t1\t4\t30\n0\t0\t4\t10\n1\t0\t3\t5\n");
        Files.writeString(dir.resolve("x.test.rating"), "0\t3\t5\t40\n1\t2\t4\t9\n");
        Files.writeString(dir.resolve("x.test.negative"), "(0,3)\t4\t3\n(1,2)\t1\t3\n");
        Dataset data = NcfReader.read(dir);
        assertThat(data.users().size()).isEqualTo(2);
        assertThat(data.items().size()).isEqualTo(5);
        // newest first in the file; equal timestamps keep reverse file order
        assertThat(data.train().itemsOf(1)).containsExactly(1, 2, 3);
        assertThat(data.test().targetsOf(1)).containsExactly(4);
        assertThat(data.test().negativesOf(1)).containsExactly(5);
        assertThat(data.test().negativesOf(2)).containsExactly(2, 4);
    }

    @Test
    void readsLastfm() throws IOException {
        Files.writeString(dir.resolve("data1.txt"), "1\t10\t5\n1\t11\t3\n2\t10\t1\n");
        Files.writeString(dir.resolve("test1.txt"), "1\t12\t2\n1\t13\t1\n2\t11\t9\n");
        Dataset data = LastfmReader.read(dir, 99, 1);
        assertThat(data.train().itemsOf(1)).containsExactly(1, 2);
        assertThat(data.test().targetsOf(1)).containsExactly(3, 4);
        assertThat(data.test().negativesOf(1)).isEmpty();
        assertThat(data.test().negativesOf(2)).containsExactlyInAnyOrder(3, 4);
    }
}
