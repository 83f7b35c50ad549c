package io.streamrec.trainer.release;

import io.streamrec.schemas.model.RetrievalIndexFormat;
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
 * @param retrievalIndexMinItems a graph with a retrieval stage over at least this many items ships a retrieval
 *                          index through the artifact store ({@link RetrievalIndexBuilder}), so serving instances
 *                          load it instead of building it; the default is the streams app's default
 *                          {@code retrieval.min.items}, from where it serves in two stages
 */
public record ReleaseSettings(int inlineLimitBytes, Optional<Path> artifactDirectory, CandidateScoring scoring,
                              int retrievalIndexMinItems) {

    /** The default {@link #retrievalIndexMinItems}. */
    public static final int DEFAULT_RETRIEVAL_INDEX_MIN_ITEMS = 50_000;
    /** The shipped index's graph, as its format fixes it. */
    static final RetrievalIndexBuilder RETRIEVAL_INDEX = new RetrievalIndexBuilder(
            RetrievalIndexFormat.MAX_CONNECTIONS, RetrievalIndexFormat.BEAM_WIDTH);

    /** The default inline limit: 16 MiB. */
    static final int DEFAULT_INLINE_LIMIT_BYTES = 16 * 1024 * 1024;

    /** Validates. */
    public ReleaseSettings {
        Objects.requireNonNull(artifactDirectory, "artifactDirectory");
        Objects.requireNonNull(scoring, "scoring");
        if (inlineLimitBytes < 0) {
            throw new IllegalArgumentException("inline limit must be >= 0, got " + inlineLimitBytes);
        }
        if (retrievalIndexMinItems < 1) {
            throw new IllegalArgumentException("retrievalIndexMinItems must be >= 1, got " + retrievalIndexMinItems);
        }
    }

    /** Settings with the default scoring ({@link OnnxExporter#DEFAULT_SCORING}) and retrieval index threshold. */
    public ReleaseSettings(int inlineLimitBytes, Optional<Path> artifactDirectory) {
        this(inlineLimitBytes, artifactDirectory, OnnxExporter.DEFAULT_SCORING, DEFAULT_RETRIEVAL_INDEX_MIN_ITEMS);
    }

    /** Inline up to the default limit, no artifact store. */
    public static ReleaseSettings inlineOnly() {
        return new ReleaseSettings(DEFAULT_INLINE_LIMIT_BYTES, Optional.empty());
    }

    /** Inline up to the default limit, larger graphs into {@code directory}. */
    public static ReleaseSettings withArtifacts(Path directory) {
        return new ReleaseSettings(DEFAULT_INLINE_LIMIT_BYTES, Optional.of(directory));
    }

    /** These settings with another inline limit. */
    public ReleaseSettings withInlineLimit(int bytes) {
        return new ReleaseSettings(bytes, artifactDirectory, scoring, retrievalIndexMinItems);
    }

    /** These settings with another way for the graph to meet its candidates. */
    public ReleaseSettings withScoring(CandidateScoring newScoring) {
        return new ReleaseSettings(inlineLimitBytes, artifactDirectory, newScoring, retrievalIndexMinItems);
    }

    /** These settings with another catalogue size from which releases ship a retrieval index. */
    public ReleaseSettings withRetrievalIndexMinItems(int items) {
        return new ReleaseSettings(inlineLimitBytes, artifactDirectory, scoring, items);
    }
}
