package io.streamrec.trainer.release;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replacing a file so readers see the old content or the new, never a half-written one: the caller writes a
 * temporary file in the target's directory, then {@link #moveIntoPlace} renames it over the target. Used for
 * ONNX artifacts, signing keys and the trainer's warm-start checkpoint. Stateless.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Renames {@code temporary} to {@code target}, replacing it: atomically where the file system can, else a
     * plain replacing move.
     */
    public static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
