package io.streamrec.schemas.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys for release signing, with the JDK's own provider, as PEM text: a private key file holds a
 * {@code PRIVATE KEY} (PKCS#8) and a {@code PUBLIC KEY} (X.509) block, because the JDK cannot derive an
 * Ed25519 public key from a private one and the signer must name its key; a public key file holds the
 * {@code PUBLIC KEY} block alone. A key's id is the first 16 hex digits of the SHA-256 of its public key.
 */
public final class ReleaseKeys {

    /** The JCA algorithm name. */
    public static final String ALGORITHM = "Ed25519";

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private ReleaseKeys() {
    }

    /** A fresh key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK lacks Ed25519 (Java 15+ has it)", e);
        }
    }

    /** PEM text of the private key file: both blocks. Keep it secret (mode 600, a Secret in Kubernetes). */
    public static String privateKeyPem(KeyPair keyPair) {
        return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()) + pem("PUBLIC KEY", keyPair.getPublic().getEncoded());
    }

    /** PEM text of the public key file. */
    public static String publicKeyPem(PublicKey publicKey) {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    /** Reads a private key file's text (both blocks). */
    public static KeyPair readKeyPair(String pemText) {
        byte[] privateBytes = null;
        byte[] publicBytes = null;
        for (Block block : blocks(pemText)) {
            if (block.type().equals("PRIVATE KEY")) {
                privateBytes = block.der();
            } else if (block.type().equals("PUBLIC KEY")) {
                publicBytes = block.der();
            }
        }
        if (privateBytes == null || publicBytes == null) {
            throw new IllegalArgumentException("a release signing key needs a PRIVATE KEY and a PUBLIC KEY PEM block"
                    + " (generate one with the trainer's 'keygen' command)");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(publicBytes)),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(privateBytes)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    /** Reads every {@code PUBLIC KEY} block of the text (a trust file may hold several keys). */
    public static List<PublicKey> readPublicKeys(String pemText) {
        List<PublicKey> keys = new ArrayList<>();
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            for (Block block : blocks(pemText)) {
                if (block.type().equals("PUBLIC KEY")) {
                    keys.add(factory.generatePublic(new X509EncodedKeySpec(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no PUBLIC KEY PEM block found");
        }
        return keys;
    }

    /** The key's id: 16 hex digits of SHA-256 over its X.509 encoding. */
    public static String keyId(PublicKey publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private record Block(String type, byte[] der) { }

    private static List<Block> blocks(String pemText) {
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = PEM_BLOCK.matcher(pemText);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
        }
        return blocks;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
