package io.streamrec.deploy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamrec.app.http.Route;
import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.serde.AvroSerdeConfig;
import io.streamrec.schemas.serde.InMemorySchemaRegistryClient;
import io.streamrec.trainer.service.TrainerHttp;
import io.streamrec.trainer.service.TrainerService;
import io.streamrec.trainer.service.TrainerServiceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What a path is on a program's HTTP API, judged from the code rather than from a list in the tests: the
 * streams app's route table ({@link Route}), and for the trainer a real {@link TrainerHttp} on a loopback port
 * whose service cannot reach Kafka (its bootstrap is a closed loopback port), asked over HTTP. Lifetime: close
 * to stop the trainer's server.
 */
final class Endpoints implements AutoCloseable {

    /** What a probe or a scrape can point at. */
    enum Kind {
        /** Answers 200 while Kafka is unreachable: a liveness probe there does not restart pods for Kafka. */
        LIVE,
        /** Answers 503 while Kafka is unreachable: readiness follows the app's own view of its dependencies. */
        READY,
        /** Prometheus text exposition. */
        METRICS,
        /** A real endpoint of another kind (data, status). */
        OTHER
    }

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TrainerService trainer;
    private final TrainerHttp trainerHttp;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Endpoints() {
        Map<String, Object> settings = Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:1");
        trainer = new TrainerService(new TrainerServiceConfig(settings), settings, new InMemorySchemaRegistryClient(),
                new ReleaseSigner(ReleaseKeys.generate()), Clock.systemUTC(), meters);
        trainerHttp = new TrainerHttp("127.0.0.1", 0, trainer, meters);
    }

    /**
     * The kind of endpoint the path is for the program, or empty when the program does not serve it.
     *
     * @param onManagementListener the streams app's management listener, which serves the probes and the metrics
     *                             only ({@link Route#management()})
     */
    Optional<Kind> kindOf(Program program, String path, boolean onManagementListener) {
        return switch (program) {
            case STREAMS_APP -> Route.match(path)
                    .filter(match -> !onManagementListener || match.route().management())
                    .map(match -> switch (match.route()) {
                        case LIVE -> Kind.LIVE;
                        case READY -> Kind.READY;
                        case METRICS -> Kind.METRICS;
                        default -> Kind.OTHER;
                    });
            case TRAINER_SERVE -> trainerKind(path);
            default -> Optional.empty();
        };
    }

    private Optional<Kind> trainerKind(String path) {
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + trainerHttp.port() + path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the trainer's HTTP server did not answer " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() == 503) {
            return Optional.of(Kind.READY);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() == 200 && contentType.contains("version=0.0.4")) {
            return Optional.of(Kind.METRICS);
        }
        return Optional.of(response.statusCode() == 200 ? Kind.LIVE : Kind.OTHER);
    }

    @Override
    public void close() {
        trainerHttp.close();
        trainer.close();
        meters.close();
    }
}
