package io.streamrec.trainer.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory of the files a release names by URI (ONNX graphs too large to inline, retrieval indexes), named
 * by model, version and checksum and referenced by {@code file://} URI. The directory must be reachable under the same path by every serving
 * instance (a shared volume). Writes are atomic (a temporary file renamed into place), so a reader never sees
 * half a graph. Thread-safe: concurrent writes of the same graph produce the same file. Older releases' files
 * are deleted through {@link ArtifactRetention}.
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
        String fileName = prefix(modelName) + version + "-" + sha256.substring(0, 16) + extension;
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

    /**
     * Deletes the model's files but those of its {@code keep} most recently written versions and those in
     * {@code named}; returns the deleted files. A file being written (a temporary file) is never touched.
     */
    List<Path> prune(String modelName, int keep, Set<Path> named) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of(); // every release so far travelled inline
        }
        Pattern ofModel = Pattern.compile(Pattern.quote(prefix(modelName)) + "(\\d+)-[0-9a-f]{16}\\.[a-z.]+");
        Map<Long, List<Path>> byVersion = new HashMap<>();
        Map<Long, FileTime> written = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher name = ofModel.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    long version = Long.parseLong(name.group(1));
                    byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(file);
                    written.merge(version, Files.getLastModifiedTime(file), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        }
        // By the time written, not the version number: numbering restarts after a tombstone.
        List<Long> newestFirst = new ArrayList<>(byVersion.keySet());
        newestFirst.sort(Comparator.comparing(written::get, Comparator.reverseOrder()));
        List<Path> deleted = new ArrayList<>();
        for (Long version : newestFirst.subList(Math.min(keep, newestFirst.size()), newestFirst.size())) {
            for (Path file : byVersion.get(version)) {
                if (!named.contains(file.toAbsolutePath().normalize()) && Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            }
        }
        return deleted;
    }

    private static String prefix(String modelName) {
        return SAFE.matcher(modelName).replaceAll("_") + "-v";
    }
}
