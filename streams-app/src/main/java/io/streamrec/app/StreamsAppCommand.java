package io.streamrec.app;

import io.streamrec.app.http.HttpTimeLimits;
import io.streamrec.schemas.config.ConfigDocs;
import io.streamrec.schemas.config.ConfigSources;
import io.streamrec.schemas.process.GracefulStop;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The streams app's command line: gathers the configuration (file, {@code STREAMREC_*} environment variables,
 * {@code --set key=value}), starts the app and runs until SIGTERM / Ctrl-C, then closes it and exits 0.
 */
@Command(name = "streams-app", mixinStandardHelpOptions = true,
        description = "Runs the streamrec Kafka Streams application: a ranked top-K list for every click.",
        footer = {"", "Configuration keys: --describe-config. Environment: STREAMREC_<KEY> with dots as"
                + " underscores, e.g. STREAMREC_BOOTSTRAP_SERVERS."})
public final class StreamsAppCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file.")
    private Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one key (repeatable).")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--describe-config", description = "Prints every streamrec key with its default and exits.")
    private boolean describeConfig;

    @Override
    public Integer call() throws InterruptedException {
        if (describeConfig) {
            System.out.println(ConfigDocs.text(StreamsAppConfig.configDef()));
            System.out.println(ConfigDocs.text(AvroSerdeConfig.configDef()));
            return 0;
        }
        Map<String, Object> settings = ConfigSources.load(Map.of(), configFile, System.getenv(), overrides);
        CountDownLatch stopRequested = new CountDownLatch(1);
        // The app closes on this thread, before the JVM's shutdown: see GracefulStop for why not in a hook.
        return GracefulStop.run("streams-app", stopRequested::countDown, () -> {
            StreamsApp app;
            try {
                app = StreamsApp.start(settings);
            } catch (ConfigException e) {
                System.err.println("streams-app: configuration error: " + e.getMessage());
                return 2;
            }
            try {
                stopRequested.await();
            } finally {
                app.close();
            }
            return 0;
        });
    }

    public static void main(String[] args) {
        // The JDK HTTP server reads each request on a request thread and, left to its defaults, waits for ever on
        // a client that stops sending half-way (a slow or half-open connection holds the thread). Its only limits
        // are system properties it reads once, with the first server: set them before anything creates one. A
        // value given with -D wins.
        HttpTimeLimits.setDefaultsUnlessConfigured(System.getProperties());
        System.exit(new CommandLine(new StreamsAppCommand()).execute(args));
    }
}
