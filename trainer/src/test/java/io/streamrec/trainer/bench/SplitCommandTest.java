package io.streamrec.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.trainer.cli.TrainerCli;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.NcfReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SplitCommandTest {

    @TempDir
    Path dir;

    /** Three users; user 7's latest rating is item 30 (t=900), written out of time order. */
    private Path ratings() throws IOException {
        Path file = dir.resolve("u.data");
        StringBuilder lines = new StringBuilder();
        lines.append("7\t30\t4\t900\n7\t10\t3\t100\n7\t20\t5\t500\n");
        lines.append("8\t10\t1\t50\n8\t40\t2\t60\n");
        IntStream.rangeClosed(1, 40).forEach(item -> lines.append("9\t").append(100 + item).append("\t3\t")
                .append(item).append('\n'));
        Files.writeString(file, lines);
        return file;
    }

    @Test
    void writesALeaveLastOutSplitTheNcfReaderReadsBack() throws IOException {
        Path out = dir.resolve("split");
        StringWriter console = new StringWriter();
        CommandLine cli = new CommandLine(new TrainerCli()).setOut(new PrintWriter(console));
        int exit = cli.execute("split", "--data", ratings().toString(), "--out", out.toString(), "--negatives", "5",
                "--seed", "3", "--prefix", "tiny");
        assertThat(exit).isZero();
        assertThat(console.toString()).contains("3 users").contains("3 test items");
        assertThat(Files.readAllLines(out.resolve("tiny.train.rating")).subList(0, 2))
                .containsExactly("7\t20\t1\t500", "7\t10\t1\t100");

        Dataset read = NcfReader.read(out);
        int user7 = read.users().indexOf("7");
        assertThat(read.items().id(read.test().targetsOf(user7)[0])).isEqualTo("30");
        assertThat(ids(read, read.train().itemsOf(user7))).containsExactly("10", "20");
        int[] negatives = read.test().negativesOf(user7);
        assertThat(negatives).hasSize(5);
        assertThat(ids(read, negatives)).doesNotContain("10", "20", "30");

        Path again = dir.resolve("again");
        cli.execute("split", "--data", ratings().toString(), "--out", again.toString(), "--negatives", "5",
                "--seed", "3", "--prefix", "tiny");
        assertThat(Files.readAllLines(again.resolve("tiny.test.negative")))
                .isEqualTo(Files.readAllLines(out.resolve("tiny.test.negative")));
    }

    private static java.util.List<String> ids(Dataset data, int[] items) {
        return java.util.Arrays.stream(items).mapToObj(i -> data.items().id(i)).toList();
    }

    @Test
    void aTrainingFileWithoutTimestampsIsReadInAShuffledOrderNotByItemId() throws IOException {
        Path ncf = dir.resolve("orderless");
        Files.createDirectories(ncf);
        StringBuilder train = new StringBuilder();
        for (int item = 0; item < 30; item++) {
            train.append("0\t").append(item).append("\t1\n");
        }
        Files.writeString(ncf.resolve("x.train.rating"), train);
        Files.writeString(ncf.resolve("x.test.rating"), "0\t31\t1\n");
        Files.writeString(ncf.resolve("x.test.negative"), "(0,31)\t32\t33\n");
        Files.writeString(ncf.resolve("x.extra"), "");
        Dataset read = NcfReader.read(ncf);
        int[] row = read.train().itemsOf(1);
        int[] sorted = row.clone();
        java.util.Arrays.sort(sorted);
        int[] descending = IntStream.range(0, sorted.length).map(i -> sorted[sorted.length - 1 - i]).toArray();
        assertThat(row).hasSize(30).isNotEqualTo(sorted).isNotEqualTo(descending);
        assertThat(NcfReader.read(ncf).train().itemsOf(1)).containsExactly(row);
    }
}
