package io.streamrec.schemas.model;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a model release comes from a trusted trainer and is intact: a valid Ed25519 signature by one
 * of the trusted public keys over the canonical form, and ONNX bytes that match the signed SHA-256.
 *
 * <p>A verifier built with {@link #acceptingUnsigned(Collection)} also lets through releases that carry no
 * signature at all (local demos only: the app must log this loudly); a release that carries a signature is
 * always checked. Immutable and thread-safe.
 */
public final class ReleaseVerifier {

    private final Map<String, PublicKey> trustedKeysById;
    private final boolean acceptUnsigned;

    private ReleaseVerifier(Collection<PublicKey> trustedKeys, boolean acceptUnsigned) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        trustedKeys.forEach(key -> byId.put(ReleaseKeys.keyId(key), key));
        this.trustedKeysById = Map.copyOf(byId);
        this.acceptUnsigned = acceptUnsigned;
    }

    /** Requires a valid signature by one of these keys. */
    public static ReleaseVerifier trusting(Collection<PublicKey> trustedKeys) {
        if (trustedKeys.isEmpty()) {
            throw new IllegalArgumentException("a verifier that requires signatures needs at least one trusted key");
        }
        return new ReleaseVerifier(trustedKeys, false);
    }

    /** Checks signatures that are present, accepts releases without one. For local demos only. */
    public static ReleaseVerifier acceptingUnsigned(Collection<PublicKey> trustedKeys) {
        return new ReleaseVerifier(trustedKeys, true);
    }

    public boolean acceptsUnsigned() {
        return acceptUnsigned;
    }

    /** Ids of the trusted keys. */
    public Set<String> trustedKeyIds() {
        return trustedKeysById.keySet();
    }

    /**
     * Checks the release's signature.
     *
     * @return true if the release was signed by a trusted key, false if it is unsigned and this verifier
     *     accepts unsigned releases
     * @throws ReleaseRejectedException with reason {@code signature-missing}, {@code unknown-key} or
     *     {@code signature}
     */
    public boolean verifySignature(ModelRelease release) throws ReleaseRejectedException {
        ByteBuffer signatureBytes = release.getSignature();
        if (signatureBytes == null || !signatureBytes.hasRemaining()) {
            if (acceptUnsigned) {
                return false;
            }
            throw new ReleaseRejectedException("signature-missing", "release " + describe(release)
                    + " is not signed and unsigned releases are not accepted");
        }
        String keyId = release.getSigningKeyId();
        PublicKey key = keyId == null ? null : trustedKeysById.get(keyId);
        if (key == null) {
            throw new ReleaseRejectedException("unknown-key", "release " + describe(release) + " is signed by key '"
                    + keyId + "', which is not among the trusted keys " + trustedKeysById.keySet());
        }
        try {
            Signature verifier = Signature.getInstance(ReleaseKeys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(ReleaseCanonicalForm.of(release));
            byte[] bytes = new byte[signatureBytes.remaining()];
            signatureBytes.duplicate().get(bytes);
            if (!verifier.verify(bytes)) {
                throw new ReleaseRejectedException("signature", "release " + describe(release)
                        + " has an invalid signature: some field changed after signing, or the key is wrong");
            }
        } catch (GeneralSecurityException e) {
            throw new ReleaseRejectedException("signature", "release " + describe(release)
                    + " has a malformed signature: " + e.getMessage(), e);
        }
        return true;
    }

    /**
     * Checks that the ONNX bytes (inline or fetched from the artifact URI) are the ones the release names.
     *
     * @throws ReleaseRejectedException with reason {@code checksum}
     */
    public static void verifyChecksum(ModelRelease release, byte[] onnxBytes) throws ReleaseRejectedException {
        String actual = sha256Hex(onnxBytes);
        if (!actual.equalsIgnoreCase(release.getSha256())) {
            throw new ReleaseRejectedException("checksum", "release " + describe(release) + ": the ONNX graph ("
                    + onnxBytes.length + " bytes) has SHA-256 " + actual + " but the release names "
                    + release.getSha256());
        }
    }

    /**
     * Checks the bytes of a file the release names ({@code vocabularies}, {@code retrievalIndex}) against its
     * signed SHA-256.
     *
     * @param file what the file is, for the message, e.g. "the vocabularies"
     * @throws ReleaseRejectedException with reason {@code checksum} when they differ
     */
    public static void verifyChecksum(ModelRelease release, ReleaseArtifact artifact, String file, byte[] bytes)
            throws ReleaseRejectedException {
        String actual = sha256Hex(bytes);
        if (!actual.equalsIgnoreCase(artifact.getSha256())) {
            throw new ReleaseRejectedException("checksum", "release " + describe(release) + ": " + file + " ("
                    + bytes.length + " bytes) has SHA-256 " + actual + " but the release names "
                    + artifact.getSha256());
        }
    }

    /** Lower-case hex SHA-256, the form of {@code ModelRelease.sha256}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    static String describe(ModelRelease release) {
        return release.getName() + " v" + release.getVersion();
    }
}
