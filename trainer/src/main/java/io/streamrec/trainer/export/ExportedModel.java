package io.streamrec.trainer.export;

import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.trainer.model.Variant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A serialized ONNX graph with the serving signature, and the counts a release must carry to match it.
 * Immutable: the bytes are copied in and out.
 *
 * @param onnx          the serialized {@code ModelProto}
 * @param variant       the variant label the graph's metadata and the release carry: a model family
 *                      member's {@link Variant#label()} or a baseline's kind (e.g. {@code ease})
 * @param historyLength width H of the graph's {@code history} input (the release's {@code historyLength})
 * @param itemCount     items 1..itemCount are scorable (the size of the release's item vocabulary)
 * @param userCount     users 1..userCount have a learned embedding (the size of the release's user
 *                      vocabulary; 0 when the graph ignores {@code user})
 * @param scoring       how the graph meets its candidates
 * @param retrieval     the item rows of the graph's {@code retrieval_items} output, when it has a retrieval stage
 */
public record ExportedModel(byte[] onnx, String variant, int historyLength, int itemCount, int userCount,
                            CandidateScoring scoring, Optional<RetrievalRows> retrieval) {

    /** Copies the bytes. */
    public ExportedModel {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(retrieval, "retrieval");
        onnx = onnx.clone();
    }

    /** A graph without a retrieval stage. */
    public ExportedModel(byte[] onnx, String variant, int historyLength, int itemCount, int userCount,
                         CandidateScoring scoring) {
        this(onnx, variant, historyLength, itemCount, userCount, scoring, Optional.empty());
    }

    /** A graph of a model family member without a retrieval stage. */
    public ExportedModel(byte[] onnx, Variant variant, int historyLength, int itemCount, int userCount,
                         CandidateScoring scoring) {
        this(onnx, variant.label(), historyLength, itemCount, userCount, scoring);
    }

    @Override
    public byte[] onnx() {
        return onnx.clone();
    }

    /** Size of the graph in bytes. */
    public int size() {
        return onnx.length;
    }

    /** Lower-case hex SHA-256 of the graph, the form of {@code ModelRelease.sha256}. */
    public String sha256() {
        return ReleaseVerifier.sha256Hex(onnx);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExportedModel m && Arrays.equals(onnx, m.onnx) && variant.equals(m.variant)
                && historyLength == m.historyLength && itemCount == m.itemCount && userCount == m.userCount
                && scoring == m.scoring && retrieval.isPresent() == m.retrieval.isPresent();
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(onnx) + variant.hashCode();
    }

    @Override
    public String toString() {
        return "ExportedModel[" + variant + ", " + onnx.length + " bytes, H=" + historyLength + ", items="
                + itemCount + ", users=" + userCount + ", " + scoring.label() + "]";
    }
}
