package io.streamrec.demo;

import io.streamrec.demo.bench.RefitBench;
import io.streamrec.demo.run.DemoDatasets;
import io.streamrec.devstack.Directories;
import io.streamrec.schemas.config.ConfigSources;
import io.streamrec.trainer.data.Corpus;
import io.streamrec.trainer.data.ScaleConfig;
import io.streamrec.trainer.data.ScaleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code streamrec bench-refit}: one trainer refit from the interactions topic, timed per phase. */
@Command(name = "bench-refit", mixinStandardHelpOptions = true,
        description = "Writes a dataset's interactions to a local broker's interactions topic, runs one refit"
                + " (or --refits N in a row) and prints the time of each phase and the peak heap.")
public final class RefitBenchCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "PATH", description = "Dataset (as for demo --data); default: synthetic at"
            + " MovieLens-1M size.")
    Path data;

    @Option(names = "--scale", paramLabel = "SPEC", description = "Instead of --data, the scale generator's"
            + " corpus: a preset (100k: 1M users x 100k items x 20M interactions) or USERS:ITEMS:INTERACTIONS.")
    String scale;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A trainer setting (repeatable), e.g."
            + " model.variant=neumf.")
    List<String> settings = List.of();

    @Option(names = "--dir", defaultValue = "run/bench-refit", description = "Working directory (default"
            + " ${DEFAULT-VALUE}); its stack folder is wiped.")
    Path directory;

    @Option(names = "--refits", defaultValue = "1", description = "Refits in a row by one trainer service; the"
            + " later ones start from the earlier one's parameters (default ${DEFAULT-VALUE}).")
    int refits;

    @Option(names = "--out", description = "Also write the markdown here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> trainer;
        try {
            trainer = ConfigSources.load(Map.of(), null, Map.of(), settings);
        } catch (ConfigException e) {
            System.err.println("streamrec bench-refit: --set: " + e.getMessage());
            return 2;
        }
        // The stack folder only: earlier runs' reports stay.
        Directories.deleteRecursively(directory.resolve("stack"));
        if (scale != null && data != null) {
            System.err.println("streamrec bench-refit: give --data or --scale, not both");
            return 2;
        }
        Corpus corpus = scale != null ? new ScaleGenerator(ScaleConfig.parse(scale)).corpus()
                : DemoDatasets.load(Optional.ofNullable(data), 6040, 3706, 7);
        String markdown = new RefitBench(corpus, trainer, directory, System.out, refits).run();
        System.out.println();
        System.out.println(markdown);
        if (out != null) {
            Files.writeString(out, markdown, StandardCharsets.UTF_8);
        }
        return 0;
    }
}
