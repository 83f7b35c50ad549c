package io.streamrec.trainer.release;

import io.streamrec.schemas.model.ReleaseKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trainer keygen}: creates an Ed25519 release-signing key pair, {@code <name>.key} (both PEM blocks,
 * the trainer's secret, created with mode 600 before any key byte is written) and {@code <name>.pub} (the
 * public key for the streams app's trusted keys). Refuses to overwrite existing files unless {@code --force}.
 * Exit codes: 0 done, 1 files exist or cannot be written, 2 bad arguments.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Create an Ed25519 release-signing key pair: NAME.key (private, mode 600) and NAME.pub.")
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--name", defaultValue = "release-signing",
            description = "Base name of the two files (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--dir", defaultValue = ".", description = "Directory to write to (default: the current one).")
    Path directory;

    @Option(names = "--force", description = "Replace existing files.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path keyFile = directory.resolve(name + ".key");
        Path publicFile = directory.resolve(name + ".pub");
        if (!force && (Files.exists(keyFile) || Files.exists(publicFile))) {
            err.println("keygen: " + keyFile + " or " + publicFile + " exists; pass --force to replace them");
            return 1;
        }
        KeyPair keyPair = ReleaseKeys.generate();
        try {
            Files.createDirectories(directory);
            writePrivate(keyFile, ReleaseKeys.privateKeyPem(keyPair));
            Files.writeString(publicFile, ReleaseKeys.publicKeyPem(keyPair.getPublic()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            err.println("keygen: cannot write the key files: " + e.getMessage());
            return 1;
        }
        out.println("key id      " + ReleaseKeys.keyId(keyPair.getPublic()));
        out.println("private key " + keyFile.toAbsolutePath() + " (keep secret; the trainer signs with it, or with"
                + " its text in " + SigningKeys.KEY_ENV + ")");
        out.println("public key  " + publicFile.toAbsolutePath() + " (give it to the streams app as a trusted key)");
        out.flush();
        return 0;
    }

    /** Writes through a temporary file that has mode 600 from creation, then renames it into place. */
    private static void writePrivate(Path keyFile, String pem) throws IOException {
        Path parent = keyFile.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path temporary = posix
                ? Files.createTempFile(parent, ".keygen", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(parent, ".keygen", ".tmp");
        try {
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            AtomicFiles.moveIntoPlace(temporary, keyFile);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
