package io.streamrec.demo;

import io.streamrec.app.retrieval.RetrievalSettings;
import io.streamrec.demo.bench.RetrievalBench;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamrec bench-retrieval}: two-stage serving against exhaustive ranking, in one process. */
@Command(name = "bench-retrieval", mixinStandardHelpOptions = true,
        description = "Trains the history model on a dataset, loads its release through the streams app's loader"
                + " with each retrieval index, and prints how much of the exhaustive top-10 the two-stage top-10"
                + " keeps, both lists' HR@10 / NDCG@10, the load time and the per-click time of each stage.")
public final class RetrievalBenchCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "scale:200000:100000:4000000", description = "Dataset, as for"
            + " trainer bench --data: an NCF folder, or scale:PRESET / scale:USERS:ITEMS:INTERACTIONS (default"
            + " ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--epochs", defaultValue = "2", description = "Training epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--users", defaultValue = "300", description = "Sampled test users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--candidates", split = ",", defaultValue = "100,200,500,1000",
            description = "Retrieved candidates per list (default ${DEFAULT-VALUE}).")
    List<Integer> candidates;

    @Option(names = "--index", split = ",", defaultValue = "exact,hnsw,hnsw-mip",
            description = "Indexes to compare: exact, hnsw, hnsw-mip; an index after exact also reports the share"
                    + " of exact retrieval's candidates it finds (default ${DEFAULT-VALUE}).")
    List<String> indexes;

    @Option(names = "--hnsw-max-connections", defaultValue = "16", description = "HNSW M (default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--hnsw-beam-width", defaultValue = "32",
            description = "HNSW construction beam (default ${DEFAULT-VALUE}).")
    int beamWidth;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model-cache", paramLabel = "FILE", description = "Read the trained parameters from FILE when"
            + " it exists, else train and write them there (the same --data, --epochs and --seed).")
    Path modelCache;

    @Option(names = "--ship-index", description = "Release the model with its retrieval index, as a trainer with"
            + " release.artifact.dir does for a large catalogue; the hnsw rows then load it instead of building it.")
    boolean shipIndex;

    @Option(names = "--out", description = "Also write the markdown here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<RetrievalSettings.Kind> kinds = indexes.stream().map(RetrievalSettings.Kind::parse).toList();
        String markdown = new RetrievalBench(new RetrievalBench.Settings(data, epochs, users, candidates, kinds,
                maxConnections, beamWidth, seed, modelCache, shipIndex), System.out).run();
        System.out.println();
        System.out.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
        }
        return 0;
    }
}
