package io.streamrec.trainer.release;

import io.streamrec.trainer.export.CandidateScoring;
import io.streamrec.trainer.export.OnnxExporter;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How releases carry their graph. Immutable.
 *
 * @param inlineLimitBytes  graphs of at most this many bytes travel inline in the record; larger ones go to
 *                          the artifact store. Keep it well below the models topic's {@code max.message.bytes}
 *                          (64 MiB): the record also carries the vocabularies.
 * @param artifactDirectory where larger graphs are stored (empty: larger graphs are an error)
 * @param scoring           how the exported graph meets its candidates (default
 *                          {@link OnnxExporter#DEFAULT_SCORING}: the catalogue, as the streams app ranks it;
 *                          from {@link CandidateScoring#GATHER_FROM_ITEMS} items on, gather: see
 *                          {@link CandidateScoring#forCatalogue})
 */
public record ReleaseSettings(int inlineLimitBytes, Optional<Path> artifactDirectory, CandidateScoring scoring) {

    /** The default inline limit: 16 MiB. */
    static final int DEFAULT_INLINE_LIMIT_BYTES = 16 * 1024 * 1024;

    /** Validates. */
    public ReleaseSettings {
        Objects.requireNonNull(artifactDirectory, "artifactDirectory");
        Objects.requireNonNull(scoring, "scoring");
        if (inlineLimitBytes < 0) {
            throw new IllegalArgumentException("inline limit must be >= 0, got " + inlineLimitBytes);
        }
    }

    /** Settings with the default scoring ({@link OnnxExporter#DEFAULT_SCORING}). */
    public ReleaseSettings(int inlineLimitBytes, Optional<Path> artifactDirectory) {
        this(inlineLimitBytes, artifactDirectory, OnnxExporter.DEFAULT_SCORING);
    }

    /** Inline up to the default limit, no artifact store. */
    public static ReleaseSettings inlineOnly() {
        return new ReleaseSettings(DEFAULT_INLINE_LIMIT_BYTES, Optional.empty(), OnnxExporter.DEFAULT_SCORING);
    }

    /** Inline up to the default limit, larger graphs into {@code directory}. */
    public static ReleaseSettings withArtifacts(Path directory) {
        return new ReleaseSettings(DEFAULT_INLINE_LIMIT_BYTES, Optional.of(directory), OnnxExporter.DEFAULT_SCORING);
    }

    /** These settings with another inline limit. */
    public ReleaseSettings withInlineLimit(int bytes) {
        return new ReleaseSettings(bytes, artifactDirectory, scoring);
    }

    /** These settings with another way for the graph to meet its candidates. */
    public ReleaseSettings withScoring(CandidateScoring newScoring) {
        return new ReleaseSettings(inlineLimitBytes, artifactDirectory, newScoring);
    }
}
