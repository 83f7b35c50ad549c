package io.streamrec.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The other real datasets; each test skips when ../shared/data is absent. */
class SharedDatasetsTest {

    private static Path require(String name) {
        Path dir = SharedData.dataset(name).orElse(null);
        Assumptions.assumeTrue(dir != null, "shared data " + name + " not found; skipping");
        return dir;
    }

    @Test
    void ml100kLeaveOneOut() {
        Dataset data = Dataset.leaveLastOut(MovieLensReader.readAny(require("ml-100k")), 99, 1);
        assertThat(data.users().size()).isEqualTo(943);
        assertThat(data.items().size()).isEqualTo(1682);
        assertThat(data.train().size()).isEqualTo(100_000 - 943);
        assertThat(data.test().targetCount()).isEqualTo(943);
        assertThat(data.test().negativesOf(1)).hasSize(99);
    }

    @Test
    void lastfm() {
        Dataset data = LastfmReader.read(require("lastfm"), 99, 1);
        assertThat(data.train().size()).isEqualTo(42_135);
        assertThat(data.users().size()).isLessThanOrEqualTo(1892);
        assertThat(data.test().targetCount()).isEqualTo(10_533);
    }
}
