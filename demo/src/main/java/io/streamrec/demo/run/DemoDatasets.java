package io.streamrec.demo.run;

import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.Dataset;
import io.streamrec.trainer.data.LastfmReader;
import io.streamrec.trainer.data.MovieLensReader;
import io.streamrec.trainer.data.NcfReader;
import io.streamrec.trainer.data.SyntheticConfig;
import io.streamrec.trainer.data.SyntheticGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the demo's dataset: the synthetic default, or a MovieLens, NCF-split or Last.fm file or folder. */
public final class DemoDatasets {

    private DemoDatasets() {
    }

    /**
     * The corpus to demo with; throws {@link IllegalArgumentException} with a clear message for a path that is
     * missing or not a dataset this project reads.
     */
    public static Corpus load(Optional<Path> data, int syntheticUsers, int syntheticItems, long seed) {
        if (data.isEmpty()) {
            return SyntheticGenerator.generate(SyntheticConfig.defaults().withSize(syntheticUsers, syntheticItems)
                    .withSeed(seed));
        }
        Path path = data.get();
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--data " + path + " does not exist");
        }
        if (Files.isDirectory(path)) {
            Optional<String> ncfPrefix = ncfPrefix(path);
            if (ncfPrefix.isPresent()) {
                return corpusOf(NcfReader.read(path, ncfPrefix.get()));
            }
            if (Files.exists(path.resolve("data1.txt")) && Files.exists(path.resolve("test1.txt"))) {
                return corpusOf(LastfmReader.read(path, 99, seed));
            }
            if (Files.exists(path.resolve("u.data")) || Files.exists(path.resolve("ratings.dat"))) {
                return MovieLensReader.readAny(path);
            }
            throw new IllegalArgumentException("--data " + path + " holds no dataset this demo reads (an NCF split"
                    + " *.train.rating, MovieLens u.data or ratings.dat, or Last.fm data1.txt + test1.txt)");
        }
        String name = path.getFileName().toString();
        if (name.equals("u.data") || name.endsWith(".dat")) {
            return MovieLensReader.readAny(path);
        }
        throw new IllegalArgumentException("--data " + path + " is not a MovieLens u.data or ratings.dat file; pass"
                + " a dataset folder for the NCF split or Last.fm");
    }

    /** The training part of a split dataset; the demo replays each user's newest interactions itself. */
    private static Corpus corpusOf(Dataset dataset) {
        return new Corpus(dataset.name(), dataset.users(), dataset.items(), dataset.train());
    }

    private static Optional<String> ncfPrefix(Path directory) {
        try (var files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".train.rating"))
                    .map(name -> name.substring(0, name.length() - ".train.rating".length()))
                    .findFirst();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }
}
