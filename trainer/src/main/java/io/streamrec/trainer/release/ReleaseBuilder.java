package io.streamrec.trainer.release;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ReleaseVocabularies;
import io.streamrec.schemas.model.RetrievalIndexFormat;
import io.streamrec.trainer.export.CandidateScoring;
import io.streamrec.trainer.export.ExportMetadata;
import io.streamrec.trainer.export.ExportedModel;
import io.streamrec.trainer.export.OnnxExporter;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.export.RetrievalRows;
import io.streamrec.trainer.model.NcfModel;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trained model into a signed {@link ModelRelease}: exports the ONNX graph (metadata: name, version,
 * hyperparameters, provenance, counts), puts it inline when it is at most the configured size and otherwise
 * into the {@link ArtifactStore} under a {@code file://} URI (the signed SHA-256 is the same either way), adds
 * the vocabularies (inline, or in the store too when they are over the same limit), metrics, hyperparameters
 * and provenance, and signs the lot. A graph with a retrieval stage over a large catalogue
 * ({@link ReleaseSettings#retrievalIndexMinItems}) also gets its retrieval index built
 * ({@link RetrievalIndexBuilder}) and stored beside it, named in the signed release.
 *
 * <pre>{@code
 * ReleaseBuilder builder = new ReleaseBuilder(SigningKeys.resolve(keyFile, System.getenv()),
 *         ReleaseSettings.withArtifacts(Path.of("/models")), Clock.systemUTC());
 * ModelRelease release = builder.build(new ReleaseRequest("default", snapshot.nextVersion("default"), model,
 *         corpus.users(), corpus.items(), Map.of("hr@10", 0.71), Hyperparameters.of(trainConfig),
 *         Provenance.of("interactions@" + offsets, pairs, trainingTime)));
 * publisher.publish(release);
 * }</pre>
 *
 * <p>Thread-safe (immutable; each build works on its own data), but a model must not train while it is built.
 */
public final class ReleaseBuilder {

    private static final Logger log = LoggerFactory.getLogger(ReleaseBuilder.class);

    private final ReleaseSigner signer;
    private final ReleaseSettings settings;
    private final Clock clock;

    public ReleaseBuilder(ReleaseSigner signer, ReleaseSettings settings, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The signed release. */
    public ModelRelease build(ReleaseRequest request) {
        NcfModel model = request.model();
        ModelConfig config = model.config();
        if (request.items().size() != model.numItems()) {
            throw new IllegalArgumentException("the item vocabulary has " + request.items().size()
                    + " entries but the model scores " + model.numItems() + " items");
        }
        int userCount = OnnxExporter.servingUserCount(model);
        if (userCount > 0 && request.users().size() != userCount) {
            throw new IllegalArgumentException("the user vocabulary has " + request.users().size()
                    + " entries but the model has embeddings for " + userCount + " users");
        }
        // The model's own hyperparameters last: a caller's map cannot misstate the graph's shapes.
        Map<String, String> hyperparameters = new LinkedHashMap<>(request.hyperparameters());
        hyperparameters.putAll(Hyperparameters.of(config));
        Map<String, String> provenance = request.provenance().toMap();
        ExportedModel graph = OnnxExporter.export(model, new ExportMetadata(request.name(), request.version(),
                request.provenance().codeVersion(), hyperparameters, provenance),
                CandidateScoring.forCatalogue(settings.scoring(), model.numItems()));
        byte[] bytes = graph.onnx();
        String sha256 = graph.sha256();

        ModelRelease.Builder release = ModelRelease.newBuilder()
                .setName(request.name())
                .setVersion(request.version())
                .setVariant(config.variant().label())
                .setCreatedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS)) // the record keeps milliseconds
                .setSha256(sha256)
                .setHistoryLength(graph.historyLength())
                .setHyperparameters(new HashMap<>(hyperparameters))
                .setMetrics(new HashMap<>(request.metrics()))
                .setProvenance(new HashMap<>(provenance))
                .setSigningKeyId(null)
                .setSignature(null);
        if (bytes.length <= settings.inlineLimitBytes()) {
            release.setOnnxModel(ByteBuffer.wrap(bytes)).setArtifactUri(null);
        } else {
            URI uri = store(request, "graph", bytes.length).store(request.name(), request.version(), sha256, ".onnx",
                    bytes);
            release.setOnnxModel(null).setArtifactUri(uri.toString());
        }
        placeVocabularies(release, request, new ReleaseVocabularies(request.items().ids(),
                userCount > 0 ? request.users().ids() : List.of()));
        graph.retrieval().filter(rows -> rows.items() >= settings.retrievalIndexMinItems())
                .flatMap(rows -> retrievalIndex(request, rows))
                .ifPresent(release::setRetrievalIndex);
        ModelRelease signed = signer.sign(release.build());
        log.info("event=release_built model={} version={} variant={} scoring={} graph_bytes={} inline={} sha256={}"
                        + " vocabularies_inline={} retrieval_index={} key={}", signed.getName(), signed.getVersion(),
                signed.getVariant(), graph.scoring().label(), bytes.length, signed.getOnnxModel() != null, sha256,
                signed.getVocabularies() == null, signed.getRetrievalIndex() != null, signer.keyId());
        return signed;
    }

    /** The artifact store, for a file of {@code bytes} over the inline limit. */
    private ArtifactStore store(ReleaseRequest request, String what, long bytes) {
        return new ArtifactStore(settings.artifactDirectory().orElseThrow(() -> new IllegalStateException("the "
                + what + " of " + request.name() + " v" + request.version() + " has " + bytes + " bytes, over the "
                + settings.inlineLimitBytes() + "-byte inline limit, and no artifact directory is configured")));
    }

    /**
     * The vocabularies inline when their file form fits the inline limit, else in the artifact store: at 10^6
     * items and 10^7 users they are hundreds of megabytes, over what the models topic takes.
     */
    private void placeVocabularies(ModelRelease.Builder release, ReleaseRequest request,
                                   ReleaseVocabularies vocabularies) {
        byte[] file = vocabularies.encode();
        if (file.length <= settings.inlineLimitBytes()) {
            release.setItemVocabulary(vocabularies.items()).setUserVocabulary(vocabularies.users());
            return;
        }
        String sha256 = ReleaseVerifier.sha256Hex(file);
        URI uri = store(request, "vocabularies", file.length).store(request.name(), request.version(), sha256,
                ".vocab", file);
        release.setItemVocabulary(List.of()).setUserVocabulary(List.of())
                .setVocabularies(new ReleaseArtifact(uri.toString(), sha256, ReleaseVocabularies.FORMAT));
    }

    /**
     * The retrieval index over {@code rows}, stored beside the graph; empty (serving instances build it) when no
     * artifact directory is configured, since an index of that size has no place in the record.
     */
    private Optional<ReleaseArtifact> retrievalIndex(ReleaseRequest request, RetrievalRows rows) {
        if (settings.artifactDirectory().isEmpty()) {
            log.warn("event=retrieval_index_skipped model={} version={} items={} reason=\"no artifact directory:"
                    + " serving instances build the index themselves\"", request.name(), request.version(),
                    rows.items());
            return Optional.empty();
        }
        long start = System.nanoTime();
        byte[] packed = ReleaseSettings.RETRIEVAL_INDEX.build(rows);
        String sha256 = ReleaseVerifier.sha256Hex(packed);
        URI uri = new ArtifactStore(settings.artifactDirectory().get()).store(request.name(), request.version(),
                sha256, ".hnsw.zip", packed);
        log.info("event=retrieval_index_built model={} version={} items={} dimension={} bytes={} build_ms={}",
                request.name(), request.version(), rows.items(), rows.dimension(), packed.length,
                (System.nanoTime() - start) / 1_000_000);
        return Optional.of(new ReleaseArtifact(uri.toString(), sha256, RetrievalIndexFormat.FORMAT));
    }
}
