package io.streamrec.trainer.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the project's shared, read-only benchmark data ({@code ../shared/data}).
 *
 * <p>The system property {@code streamrec.shared.data} wins (Surefire sets it); otherwise
 * {@code ../shared/data} relative to the working directory, then {@code ../../shared/data} (for a
 * process started inside a module folder). The files are never copied into the repository.
 */
final class SharedData {

    /** The system property naming the shared data directory. */
    static final String PROPERTY = "streamrec.shared.data";

    private SharedData() {}

    /** The shared data directory, if one exists. */
    static Optional<Path> root() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (Files.isDirectory(path)) {
                return Optional.of(path.toAbsolutePath().normalize());
            }
        }
        for (String candidate : new String[] {"../shared/data", "../../shared/data"}) {
            Path path = Path.of(candidate);
            if (Files.isDirectory(path)) {
                return Optional.of(path.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** A sub-directory of the shared data (e.g. {@code ml-1m-ncf}), if present. */
    static Optional<Path> dataset(String name) {
        return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    }
}
