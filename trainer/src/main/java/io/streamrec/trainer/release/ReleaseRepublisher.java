package io.streamrec.trainer.release;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Rollback by republishing: an earlier release, verified, becomes a new release with a higher version, the same
 * graph, vocabularies, metrics and hyperparameters, and this trainer's signature. Versions only grow, so every
 * streams-app instance swaps to it as to any newer model, and its provenance says where it came from.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReleaseRepublisher {

    /** Provenance key naming the version a republished release copies. */
    public static final String REPUBLISHED_FROM = "republished.from.version";

    private final ReleaseSigner signer;
    private final ReleaseVerifier verifier;
    private final long maxArtifactBytes;
    private final Clock clock;

    /**
     * @param verifier         whose keys the earlier release must be signed with (usually this trainer's own
     *                         public key, plus earlier keys after a rotation)
     * @param maxArtifactBytes largest artifact graph read to check its checksum
     */
    public ReleaseRepublisher(ReleaseSigner signer, ReleaseVerifier verifier, long maxArtifactBytes, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.maxArtifactBytes = maxArtifactBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The signed copy of {@code earlier} as version {@code newVersion}.
     *
     * @throws ReleaseRejectedException when {@code earlier} fails its signature or checksum (a release nobody can
     *                                  vouch for is not re-signed), or its graph cannot be read
     * @throws IllegalArgumentException when {@code newVersion} is not above {@code earlier}'s version
     */
    public ModelRelease republish(ModelRelease earlier, long newVersion) throws ReleaseRejectedException {
        if (newVersion <= earlier.getVersion()) {
            throw new IllegalArgumentException("a republished release needs a version above " + earlier.getVersion()
                    + ", got " + newVersion);
        }
        ReleaseGraphs.verifiedGraph(earlier, verifier, maxArtifactBytes);
        Map<String, String> provenance = new HashMap<>(earlier.getProvenance());
        provenance.put(REPUBLISHED_FROM, Long.toString(earlier.getVersion()));
        ModelRelease copy = ModelRelease.newBuilder(earlier)
                .setVersion(newVersion)
                .setCreatedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS)) // the record keeps milliseconds
                .setProvenance(provenance)
                .setSigningKeyId(null)
                .setSignature(null)
                .build();
        return signer.sign(copy);
    }
}
