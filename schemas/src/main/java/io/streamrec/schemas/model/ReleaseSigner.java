package io.streamrec.schemas.model;

import io.streamrec.avro.ModelRelease;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * Signs model releases with the trainer's Ed25519 private key. Immutable and thread-safe (a fresh JCA
 * {@link Signature} per call).
 */
public final class ReleaseSigner {

    private final KeyPair keyPair;
    private final String keyId;

    public ReleaseSigner(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.keyId = ReleaseKeys.keyId(keyPair.getPublic());
    }

    /** The id of the signing key, as it appears in {@code ModelRelease.signingKeyId}. */
    public String keyId() {
        return keyId;
    }

    /** The public half of the signing key, e.g. to verify one's own releases read back. */
    public java.security.PublicKey publicKey() {
        return keyPair.getPublic();
    }

    /** A copy of the release with {@code signingKeyId} set and the signature over its canonical form. */
    public ModelRelease sign(ModelRelease release) {
        ModelRelease signed = ModelRelease.newBuilder(release).setSigningKeyId(keyId).setSignature(null).build();
        try {
            Signature signature = Signature.getInstance(ReleaseKeys.ALGORITHM);
            signature.initSign(keyPair.getPrivate());
            signature.update(ReleaseCanonicalForm.of(signed));
            signed.setSignature(ByteBuffer.wrap(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
        return signed;
    }
}
