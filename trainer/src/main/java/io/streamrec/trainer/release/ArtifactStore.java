package io.streamrec.trainer.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A directory of the files a release names by URI (ONNX graphs too large to inline, retrieval indexes), named
 * by model, version and checksum and referenced by {@code file://} URI. The directory must be reachable under the same path by every serving
 * instance (a shared volume). Writes are atomic (a temporary file renamed into place), so a reader never sees
 * half a graph. Thread-safe: concurrent writes of the same graph produce the same file.
 */
final class ArtifactStore {

    private static final Pattern SAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private final Path directory;

    ArtifactStore(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    Path directory() {
        return directory;
    }

    /**
     * Stores the file (or keeps an identical file already there) and returns its URI.
     *
     * @param sha256    the file's lower-case hex SHA-256, part of its name
     * @param extension the file name's ending, e.g. {@code .onnx}
     */
    URI store(String modelName, long version, String sha256, String extension, byte[] graph) {
        String fileName = SAFE.matcher(modelName).replaceAll("_") + "-v" + version + "-" + sha256.substring(0, 16)
                + extension;
        Path target = directory.resolve(fileName);
        try {
            Files.createDirectories(directory);
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), graph)) {
                return target.toUri();
            }
            Path temporary = Files.createTempFile(directory, fileName, ".tmp");
            try {
                Files.write(temporary, graph);
                AtomicFiles.moveIntoPlace(temporary, target);
            } finally {
                Files.deleteIfExists(temporary);
            }
            return target.toUri();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the artifact " + target, e);
        }
    }
}
