package io.streamrec.trainer.release;

import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.schemas.model.ReleaseVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which releases on the models topic are this trainer's own: signed by its signing key (whose public half the
 * key file carries), or by one of its earlier keys, listed in a PEM file after a rotation. Only those may set
 * the next version number, be the gate's serving baseline or be republished: anyone who can write to the topic
 * can put a record there, but only the trainer holds the private key. A trainer always signs (it refuses to
 * start without a key), so there is no unsigned mode to accommodate here. Stateless.
 */
public final class OwnReleases {

    private OwnReleases() {
    }

    /**
     * A verifier trusting the signer's key and the public keys in each of {@code earlierKeyFiles}.
     *
     * @throws UncheckedIOException     when a file cannot be read
     * @throws IllegalArgumentException when a file holds no usable public key
     */
    public static ReleaseVerifier verifier(ReleaseSigner signer, Collection<Path> earlierKeyFiles) {
        List<PublicKey> trusted = new ArrayList<>();
        trusted.add(signer.publicKey());
        earlierKeyFiles.forEach(file -> trusted.addAll(readKeys(file)));
        return ReleaseVerifier.trusting(trusted);
    }

    private static List<PublicKey> readKeys(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted release keys " + file, e);
        }
        try {
            return ReleaseKeys.readPublicKeys(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the trusted release keys in " + file + " are unusable: "
                    + e.getMessage(), e);
        }
    }
}
