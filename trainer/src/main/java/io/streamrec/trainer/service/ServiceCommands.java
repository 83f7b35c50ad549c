package io.streamrec.trainer.service;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.config.ConfigDocs;
import io.streamrec.schemas.config.ConfigSources;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.process.GracefulStop;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.trainer.kafka.ModelReleasePublisher;
import io.streamrec.trainer.kafka.ModelReleaseReader;
import io.streamrec.trainer.release.OwnReleases;
import io.streamrec.trainer.release.ReleaseRepublisher;
import io.streamrec.trainer.release.SigningKeys;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The trainer service's subcommands: {@code once}, {@code serve} and {@code republish}. */
public final class ServiceCommands {

    private ServiceCommands() {
    }

    /** Options both subcommands take. */
    static class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "A properties file.")
        Path configFile;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides one key (repeatable).")
        List<String> overrides = new ArrayList<>();

        @Option(names = "--describe-config", description = "Prints every trainer key with its default and exits.")
        boolean describeConfig;

        Map<String, Object> settings() {
            return ConfigSources.load(Map.of(), configFile, System.getenv(), overrides);
        }
    }

    /**
     * Everything a service run needs, built from one configuration map.
     *
     * @param ownReleases whose releases on the models topic are this trainer's (its signing key and earlier ones)
     */
    record Setup(TrainerServiceConfig config, Map<String, Object> clientConfig, SchemaRegistryClient schemaRegistry,
                 ReleaseSigner signer, ReleaseVerifier ownReleases) {

        static Setup from(Map<String, Object> settings) {
            TrainerServiceConfig config = new TrainerServiceConfig(settings);
            SchemaRegistryClient schemaRegistry = SchemaRegistryClient.fromConfig(new AvroSerdeConfig(settings));
            ReleaseSigner signer;
            try {
                signer = config.signingKeyPem().isBlank()
                        ? SigningKeys.resolve(config.signingKeyFile(), System.getenv())
                        : new ReleaseSigner(ReleaseKeys.readKeyPair(config.signingKeyPem()));
            } catch (RuntimeException e) {
                throw new ConfigException(TrainerServiceConfig.RELEASE_SIGNING_KEY_FILE_CONFIG,
                        config.signingKeyFile().map(Path::toString).orElse(""),
                        "no usable release signing key: " + e.getMessage());
            }
            ReleaseVerifier ownReleases;
            try {
                ownReleases = OwnReleases.verifier(signer, config.trustedKeysFile().stream().toList());
            } catch (RuntimeException e) {
                throw new ConfigException(TrainerServiceConfig.RELEASE_TRUSTED_KEYS_FILE_CONFIG,
                        config.trustedKeysFile().map(Path::toString).orElse(""), e.getMessage());
            }
            return new Setup(config, settings, schemaRegistry, signer, ownReleases);
        }
    }

    /**
     * What every subcommand does before its own work: {@code --describe-config} prints the keys and exits 0; a
     * configuration error is printed as {@code trainer <command>: configuration error: ...} and exits 2; else
     * {@link #run(Setup)} decides the exit code. Picocli fills the options of the subclass instance.
     */
    abstract static class ServiceCommand implements Callable<Integer> {

        @picocli.CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        private final String command;

        ServiceCommand(String command) {
            this.command = command;
        }

        @Override
        public final Integer call() throws InterruptedException {
            if (options.describeConfig) {
                System.out.println(ConfigDocs.text(TrainerServiceConfig.configDef()));
                System.out.println(ConfigDocs.text(AvroSerdeConfig.configDef()));
                return 0;
            }
            Setup setup;
            try {
                setup = Setup.from(options.settings());
            } catch (ConfigException e) {
                return configurationError(e.getMessage());
            }
            return run(setup);
        }

        /** Prints {@code trainer <command>: configuration error: <message>} and returns exit code 2. */
        int configurationError(String message) {
            System.err.println("trainer " + command + ": configuration error: " + message);
            return 2;
        }

        abstract int run(Setup setup) throws InterruptedException;
    }

    /** {@code trainer once}: one refit; exit 0 published, 3 kept by the gate, 1 failed, 2 configuration error. */
    @Command(name = "once", mixinStandardHelpOptions = true,
            description = {"Refits once from the interactions topic: train, evaluate against the serving model,"
                    + " publish a signed release if it is at least as good.",
                    "Exit code: 0 published, 3 kept (the gate refused), 1 failed, 2 configuration error."})
    public static final class Once extends ServiceCommand {

        public Once() {
            super("once");
        }

        @Override
        int run(Setup setup) {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            try (TrainerService service = new TrainerService(setup.config(), setup.clientConfig(),
                    setup.schemaRegistry(), setup.signer(), Clock.systemUTC(), meters)) {
                // Stopped by a signal, the refit ends at its next check and closes its sessions before the JVM's
                // shutdown begins (GracefulStop says why that order matters).
                RefitOutcome outcome = GracefulStop.run("trainer-once", service::stop, service::runOnce);
                System.out.println(outcome.decision() + " " + outcome.modelName() + " v" + outcome.version() + ": "
                        + outcome.reason());
                outcome.report().ifPresent(report -> System.out.println("report: " + report.toAbsolutePath()));
                return outcome.exitCode();
            }
        }
    }

    /** {@code trainer serve}: refits on an interval and on new interactions, with probes and metrics. */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Runs the trainer service: refit every service.interval.ms, or sooner when"
                    + " service.min.new.interactions arrived; /health/live, /health/ready and /metrics on http.port.")
    public static final class Serve extends ServiceCommand {

        public Serve() {
            super("serve");
        }

        @Override
        int run(Setup setup) {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(meters);
            new JvmGcMetrics().bindTo(meters);
            new JvmThreadMetrics().bindTo(meters);
            new ProcessorMetrics().bindTo(meters);
            try (TrainerService service = new TrainerService(setup.config(), setup.clientConfig(),
                    setup.schemaRegistry(), setup.signer(), Clock.systemUTC(), meters);
                 TrainerHttp http = new TrainerHttp(setup.config().httpHost(), setup.config().httpPort(), service,
                         meters)) {
                System.out.println("trainer service: /health/live, /health/ready, /metrics on port " + http.port());
                GracefulStop.run("trainer-serve", service::stop, () -> {
                    service.serve();
                    return null;
                });
            }
            return 0;
        }
    }

    /** {@code trainer republish --version N}: rollback by publishing release N again as the next version. */
    // No standard help mixin: its -V/--version would take the --version N this command is about.
    @Command(name = "republish",
            description = {"Rolls back: publishes release N of model.name again under the next version, the same"
                    + " graph re-signed with this trainer's key, so every streams-app instance swaps to it.",
                    "Release N must still be in the models topic (once the log cleaner has passed, compaction keeps"
                            + " only the latest record per model name), come after the name's last tombstone (which"
                            + " restarts the numbering) and be signed by this trainer's key or one in"
                            + " release.trusted.keys.file or --trusted-keys.",
                    "Exit code: 0 published, 1 failed (not found, not verifiable, not published), 2 configuration"
                            + " error."})
    public static final class Republish extends ServiceCommand {

        public Republish() {
            super("republish");
        }

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = "--version", required = true, paramLabel = "N", description = "The release to bring back.")
        long version;

        @Option(names = "--trusted-keys", paramLabel = "FILE", description = "PEM public keys that may have signed"
                + " release N besides this trainer's own and release.trusted.keys.file's (after a key rotation).")
        Path trustedKeys;

        @Override
        int run(Setup setup) {
            ReleaseVerifier verifier = setup.ownReleases();
            if (trustedKeys != null) {
                List<Path> keyFiles = new ArrayList<>(setup.config().trustedKeysFile().stream().toList());
                keyFiles.add(trustedKeys);
                try {
                    verifier = OwnReleases.verifier(setup.signer(), keyFiles);
                } catch (RuntimeException e) {
                    return configurationError(e.getMessage());
                }
            }
            TrainerServiceConfig config = setup.config();
            String name = config.modelName();
            ModelReleaseReader reader = new ModelReleaseReader(setup.clientConfig(), config.modelsTopic(),
                    config.snapshotTimeout(), verifier);
            try {
                ModelReleaseReader.Lookup lookup = reader.find(name, version);
                Optional<ModelRelease> earlier = lookup.release();
                if (earlier.isEmpty()) {
                    System.err.println("trainer republish: " + config.modelsTopic() + " holds no release " + name + " v"
                            + version + " signed by a trusted key since the name's last tombstone (never published,"
                            + " compacted away, or before a tombstone)");
                    return 1;
                }
                long next = lookup.nextVersion();
                ModelRelease copy = new ReleaseRepublisher(setup.signer(), verifier, Long.MAX_VALUE,
                        Clock.systemUTC()).republish(earlier.get(), next);
                try (ModelReleasePublisher publisher = new ModelReleasePublisher(setup.clientConfig(),
                        config.modelsTopic())) {
                    publisher.publish(copy);
                }
                System.out.println("published " + name + " v" + next + " = v" + version + " (sha256 " + copy.getSha256()
                        + ", key " + copy.getSigningKeyId() + ")");
                return 0;
            } catch (ReleaseRejectedException e) {
                System.err.println("trainer republish: " + name + " v" + version + " cannot be vouched for ("
                        + e.reason() + "): " + e.getMessage());
                return 1;
            } catch (KafkaException | IllegalStateException e) {
                // IllegalStateException: the name's numbering is at its end (ModelsSnapshot#nextVersion).
                System.err.println("trainer republish: " + e.getMessage());
                return 1;
            }
        }
    }
}
