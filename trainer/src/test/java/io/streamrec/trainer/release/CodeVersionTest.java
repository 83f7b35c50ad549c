package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeVersionTest {

    @Test
    void theMavenBuildWritesTheProjectVersion() {
        assertThat(CodeVersion.projectVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void aCommitFromTheEnvironmentIsAppended() {
        assertThat(CodeVersion.of("1.2.0", Map.of(CodeVersion.COMMIT_ENV, " 3f2c1ab\n"))).isEqualTo("1.2.0+3f2c1ab");
        assertThat(CodeVersion.of("1.2.0", Map.of(CodeVersion.COMMIT_ENV, " "))).isEqualTo("1.2.0");
        assertThat(CodeVersion.of("1.2.0", Map.of())).isEqualTo("1.2.0");
    }
}
