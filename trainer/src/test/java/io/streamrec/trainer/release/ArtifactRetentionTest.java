package io.streamrec.trainer.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ModelRelease;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactRetentionTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private final ReleaseFixtures fixtures = new ReleaseFixtures();
    private final NcfModel model = ReleaseFixtures.model(ModelConfig.neumf(8, 16, 8, 4));

    @TempDir
    Path directory;

    @Test
    void theMostRecentlyWrittenReleasesAndWhatThePublishedOneNamesAreKept() throws IOException {
        for (long version = 1; version <= 5; version++) {
            written(release("default", version), version);
        }
        Path otherModel = file("other-v1-0123456789abcdef.onnx", 1);
        Path beingWritten = file("default-v1-0123456789abcdef.onnx4711.tmp", 1);
        ModelRelease sixth = release("default", 6);
        written(sixth, 6);

        List<Path> deleted = ArtifactRetention.afterPublishing(sixth, directory, 3);

        assertThat(deleted).isNotEmpty().allSatisfy(file -> assertThat(file.getFileName().toString())
                .matches("default-v[123]-[0-9a-f]{16}\\.(onnx|vocab)"));
        assertThat(versionsLeft("default")).containsExactlyInAnyOrder(4L, 5L, 6L);
        assertThat(otherModel).exists();
        assertThat(beingWritten).exists();
    }

    @Test
    void aRepublishedReleaseKeepsTheOlderFilesItNames() throws IOException {
        ModelRelease first = release("default", 1);
        written(first, 1);
        for (long version = 2; version <= 4; version++) {
            written(release("default", version), version);
        }
        // v5 is v1 republished: the same files, a newer version, nothing written.
        ModelRelease republished = ModelRelease.newBuilder(first).setVersion(5).build();

        ArtifactRetention.afterPublishing(republished, directory, 2);

        assertThat(versionsLeft("default")).containsExactlyInAnyOrder(1L, 3L, 4L);
        assertThat(Path.of(URI.create(first.getArtifactUri()))).exists();
    }

    @Test
    void orderIsByTimeWrittenSoARestartedNumberingKeepsItsNewReleases() throws IOException {
        for (long version = 48; version <= 50; version++) {
            written(release("default", version), version - 48);
        }
        written(release("default", 1), 10); // a tombstone restarted the numbering
        ModelRelease second = release("default", 2);
        written(second, 11);

        ArtifactRetention.afterPublishing(second, directory, 2);

        assertThat(versionsLeft("default")).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void keepingZeroDeletesNothing() throws IOException {
        for (long version = 1; version <= 3; version++) {
            written(release("default", version), version);
        }
        assertThat(ArtifactRetention.afterPublishing(release("default", 3), directory, 0)).isEmpty();
        assertThat(versionsLeft("default")).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void aDirectoryNothingWasWrittenToYetIsNothingToPrune() throws IOException {
        ModelRelease inline = fixtures.builder(ReleaseSettings.inlineOnly())
                .build(ReleaseFixtures.request("default", 1, model));
        assertThat(ArtifactRetention.afterPublishing(inline, directory.resolve("not-yet"), 5)).isEmpty();
    }

    /** A release whose graph went to the directory, in a file named by its version. */
    private ModelRelease release(String name, long version) {
        return fixtures.builder(ReleaseFixtures.artifactsOnly(directory))
                .build(ReleaseFixtures.request(name, version, model));
    }

    /** Dates the release's files (graph and vocabularies) as written {@code minutes} after T0. */
    private static void written(ModelRelease release, long minutes) throws IOException {
        for (String uri : List.of(release.getArtifactUri(), release.getVocabularies().getUri())) {
            Files.setLastModifiedTime(Path.of(URI.create(uri)), FileTime.from(T0.plusSeconds(60 * minutes)));
        }
    }

    private Path file(String name, long minutes) throws IOException {
        Path file = Files.write(directory.resolve(name), new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(60 * minutes)));
        return file;
    }

    private List<Long> versionsLeft(String model) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches(model + "-v\\d+-[0-9a-f]{16}\\.onnx"))
                    .map(name -> name.substring(model.length() + 2))
                    .map(rest -> Long.parseLong(rest.substring(0, rest.indexOf('-')))).distinct().toList();
        }
    }
}
