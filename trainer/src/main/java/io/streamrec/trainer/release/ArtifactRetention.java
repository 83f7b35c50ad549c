package io.streamrec.trainer.release;

import io.streamrec.avro.ModelRelease;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps {@code release.artifact.dir} from growing without bound: a release of 10^6 items writes about 1.3 GB
 * there, and a service refitting every hour would fill a volume within days.
 *
 * <p>After a release is published, the files of its model are deleted but for those of the {@code keep} most
 * recently written releases and those the published release names (a republished release names an older one's
 * files). The release an instance may still be loading, the previous one, is among the kept as long as
 * {@code keep} is at least 2. A rollback by republishing reaches the releases whose files are kept; releases
 * small enough to travel inline have no files and are unaffected. Stateless.
 */
public final class ArtifactRetention {

    private ArtifactRetention() {
    }

    /**
     * Prunes the published release's model in the directory; {@code keep} 0 keeps every file.
     *
     * @return the deleted files
     * @throws IOException when the directory cannot be listed or a file not deleted
     */
    public static List<Path> afterPublishing(ModelRelease published, Path directory, int keep) throws IOException {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be >= 0, got " + keep);
        }
        if (keep == 0) {
            return List.of();
        }
        return new ArtifactStore(directory).prune(published.getName(), keep, namedFiles(published));
    }

    /** The local files the release names by {@code file:} URI. */
    private static Set<Path> namedFiles(ModelRelease release) {
        Set<Path> files = new HashSet<>();
        Stream.of(release.getArtifactUri(),
                        release.getVocabularies() == null ? null : release.getVocabularies().getUri(),
                        release.getRetrievalIndex() == null ? null : release.getRetrievalIndex().getUri())
                .filter(uri -> uri != null && uri.startsWith("file:"))
                .forEach(uri -> files.add(Path.of(URI.create(uri)).toAbsolutePath().normalize()));
        return files;
    }
}
