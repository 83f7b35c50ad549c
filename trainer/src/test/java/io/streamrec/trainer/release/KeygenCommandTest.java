package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.schemas.model.ReleaseKeys;
import io.streamrec.schemas.model.ReleaseSigner;
import io.streamrec.trainer.cli.TrainerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeygenCommandTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new TrainerCli());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void writesAPrivateKeyOnlyTheOwnerCanReadAndAPublicKey(@TempDir Path directory) throws Exception {
        Run run = run("keygen", "--dir", directory.toString(), "--name", "trainer");
        assertThat(run.exitCode()).isZero();
        Path keyFile = directory.resolve("trainer.key");
        Path publicFile = directory.resolve("trainer.pub");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(publicFile)).contains("PUBLIC KEY").doesNotContain("PRIVATE KEY");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactlyInAnyOrder(keyFile, publicFile); // no temporary file left behind
        }

        ReleaseSigner signer = SigningKeys.fromFile(keyFile);
        String publicId = ReleaseKeys.keyId(ReleaseKeys.readPublicKeys(Files.readString(publicFile)).get(0));
        assertThat(signer.keyId()).isEqualTo(publicId);
        assertThat(run.out()).contains(publicId);
    }

    @Test
    void refusesToOverwriteWithoutForce(@TempDir Path directory) throws Exception {
        assertThat(run("keygen", "--dir", directory.toString()).exitCode()).isZero();
        Path keyFile = directory.resolve("release-signing.key");
        String first = Files.readString(keyFile);

        Run again = run("keygen", "--dir", directory.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("--force");
        assertThat(Files.readString(keyFile)).isEqualTo(first);

        assertThat(run("keygen", "--dir", directory.toString(), "--force").exitCode()).isZero();
        assertThat(Files.readString(keyFile)).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    }

    @Test
    void theSigningKeyComesFromTheFileOrTheEnvironment(@TempDir Path directory) throws Exception {
        assertThat(run("keygen", "--dir", directory.toString()).exitCode()).isZero();
        Path keyFile = directory.resolve("release-signing.key");
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        ReleaseSigner fromFile = SigningKeys.resolve(Optional.of(keyFile), Map.of());
        ReleaseSigner fromEnv = SigningKeys.resolve(Optional.empty(), Map.of(SigningKeys.KEY_ENV, pem));
        assertThat(fromEnv.keyId()).isEqualTo(fromFile.keyId());

        assertThatThrownBy(() -> SigningKeys.resolve(Optional.empty(), Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(SigningKeys.KEY_ENV);
        String publicOnly = Files.readString(directory.resolve("release-signing.pub"));
        assertThatThrownBy(() -> SigningKeys.resolve(Optional.empty(), Map.of(SigningKeys.KEY_ENV, publicOnly)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$" + SigningKeys.KEY_ENV)
                .hasMessageNotContaining("BEGIN");
    }
}
