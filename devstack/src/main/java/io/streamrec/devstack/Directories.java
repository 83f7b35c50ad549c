package io.streamrec.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** File-system helpers for stack and run directories. Stateless. */
public final class Directories {

    private Directories() {
    }

    static Path createTemporary() {
        try {
            return Files.createTempDirectory("streamrec-devstack-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the local stack", e);
        }
    }

    /**
     * Deletes the directory (or file) and everything in it; a missing one is fine.
     *
     * @throws UncheckedIOException when something cannot be deleted
     */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }
}
