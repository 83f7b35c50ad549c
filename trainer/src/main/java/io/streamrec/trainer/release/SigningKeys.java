package io.streamrec.trainer.release;

import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;

/**
 * Where the trainer's Ed25519 release-signing key comes from: a PEM file (both blocks, as {@code keygen}
 * writes it; mode 600) or the PEM text in an environment variable (e.g. from a Kubernetes Secret). The key
 * never appears in logs or errors. Stateless.
 */
public final class SigningKeys {

    /** Environment variable holding the private key file's PEM text. */
    public static final String KEY_ENV = "STREAMREC_SIGNING_KEY";

    private SigningKeys() {
    }

    /** A signer with the key pair in a PEM file. */
    public static ReleaseSigner fromFile(Path keyFile) {
        try {
            return signer(Files.readString(keyFile, StandardCharsets.US_ASCII), keyFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the release signing key " + keyFile, e);
        }
    }

    /**
     * The signer from {@code keyFile} if given, else from {@value #KEY_ENV} in {@code environment}.
     *
     * @throws IllegalStateException when neither is set
     */
    public static ReleaseSigner resolve(Optional<Path> keyFile, Map<String, String> environment) {
        if (keyFile.isPresent()) {
            return fromFile(keyFile.get());
        }
        String pem = environment.get(KEY_ENV);
        if (pem == null || pem.isBlank()) {
            throw new IllegalStateException("no release signing key: pass a key file or set " + KEY_ENV
                    + " to its PEM text (create one with 'trainer keygen')");
        }
        return signer(pem, "$" + KEY_ENV);
    }

    private static ReleaseSigner signer(String pem, String source) {
        KeyPair keyPair;
        try {
            keyPair = ReleaseKeys.readKeyPair(pem);
        } catch (IllegalArgumentException e) {
            // The message never quotes the text: it may be a secret.
            throw new IllegalArgumentException("the release signing key in " + source + " is unusable: "
                    + e.getMessage(), e);
        }
        return new ReleaseSigner(keyPair);
    }
}
