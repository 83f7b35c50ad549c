package io.streamrec.trainer.bench;

import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.HeldOut;
import io.streamrec.trainer.data.Interactions;
import io.streamrec.trainer.data.MovieLensReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer split}: writes the leave-one-out split of a MovieLens ratings file in the NCF paper's format, so
 * every dataset of the results table is read the same way and the split is a file anyone can check: each user's
 * latest interaction (by timestamp; ties keep the file order) is the test item with {@code --negatives} items
 * sampled with {@code --seed} from those the user never rated; the rest is training, newest first per user, with
 * the original timestamps. Ids are the file's own (MovieLens ids), ratings are written as 1 (implicit feedback).
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = "Write a leave-one-out split of a MovieLens ratings file in the NCF format.")
public final class SplitCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Option(names = "--data", required = true, description = "MovieLens u.data or ratings.dat, or the folder holding it.")
    Path data;

    @Option(names = "--out", required = true, description = "Folder to write PREFIX.train.rating, .test.rating and"
            + " .test.negative into (created if missing).")
    Path out;

    @Option(names = "--prefix", defaultValue = "ml-100k", description = "File name prefix (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--negatives", defaultValue = "99", description = "Sampled negatives per test item (default"
            + " ${DEFAULT-VALUE}).")
    int negatives;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the negative sampling (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        Corpus corpus = MovieLensReader.readAny(data);
        Dataset split = Dataset.leaveLastOut(corpus, negatives, seed);
        Files.createDirectories(out);
        writeTraining(split, out.resolve(prefix + ".train.rating"));
        writeTest(split, out.resolve(prefix + ".test.rating"), out.resolve(prefix + ".test.negative"));
        PrintWriter console = commandSpec.commandLine().getOut();
        console.printf("%s: %d users, %d items, %d training interactions, %d test items with %d negatives each,"
                + " seed %d, written to %s%n", corpus.name(), split.users().size(), split.items().size(),
                split.train().size(), split.test().targetCount(), negatives, seed, out.toAbsolutePath());
        return 0;
    }

    private static void writeTraining(Dataset split, Path file) throws IOException {
        Interactions train = split.train();
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int u = 1; u <= train.numUsers(); u++) {
                for (int p = train.end(u) - 1; p >= train.start(u); p--) {
                    writer.write(line(split.users().id(u), split.items().id(train.itemAt(p)),
                            Long.toString(train.timestampAt(p))));
                }
            }
        }
    }

    private static void writeTest(Dataset split, Path testFile, Path negativeFile) throws IOException {
        HeldOut test = split.test();
        try (BufferedWriter tests = Files.newBufferedWriter(testFile, StandardCharsets.UTF_8);
             BufferedWriter negatives = Files.newBufferedWriter(negativeFile, StandardCharsets.UTF_8)) {
            for (int u = 1; u <= test.numUsers(); u++) {
                String user = split.users().id(u);
                for (int target : test.targetsOf(u)) {
                    String item = split.items().id(target);
                    tests.write(line(user, item, "0"));
                    StringBuilder row = new StringBuilder("(").append(user).append(',').append(item).append(')');
                    for (int negative : test.negativesOf(u)) {
                        row.append('\t').append(split.items().id(negative));
                    }
                    negatives.write(row.append('\n').toString());
                }
            }
        }
    }

    private static String line(String user, String item, String timestamp) {
        return user + '\t' + item + "\t1\t" + timestamp + '\n';
    }
}
