package io.streamrec.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The Maven wrapper that lets a machine with only a JDK build the project ({@code ./streamrec} falls back to it):
 * the scripts are there and runnable, and the pinned Maven comes from Maven Central, the only registry builds use.
 */
class MavenWrapperTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theWrapperPinsAMavenFromMavenCentralAndIsRunnable() throws IOException {
        assertThat(Files.isExecutable(ROOT.resolve("mvnw"))).as("mvnw is executable").isTrue();
        assertThat(ROOT.resolve("mvnw.cmd")).isRegularFile();
        Properties wrapper = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
            wrapper.load(in);
        }
        assertThat(wrapper.getProperty("distributionUrl"))
                .startsWith("https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/3.9.")
                .endsWith("-bin.zip");
        assertThat(Files.readString(ROOT.resolve("streamrec"))).contains("./mvnw");
    }
}
