package io.streamrec.schemas.model;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a release signature covers: every field of a {@link ModelRelease} except the signature itself, in a
 * fixed order, strings as length-prefixed UTF-8, maps sorted by key. The ONNX graph is covered through its
 * {@code sha256} (the verifier checks the bytes, inline or fetched, against it), so the signed message stays
 * small and an artifact fetched from a URI is as trusted as an inline one.
 *
 * <p>Defined here, not by Avro's binary encoding, so that adding an optional field to the Avro schema does not
 * invalidate existing signatures; a new field joins the signed form only with a new format tag.
 */
public final class ReleaseCanonicalForm {

    /** The format tag of a release that names no file besides its graph: every release before those two fields. */
    static final String FORMAT = "streamrec.ModelRelease.v1";
    /**
     * The format tag of a release with a retrieval index or vocabularies by URI: v1's fields, then those two
     * (each a presence flag, then its URI, checksum and format).
     */
    static final String FORMAT_V2 = "streamrec.ModelRelease.v2";

    private ReleaseCanonicalForm() {
    }

    /** The canonical bytes of the release (its signature field is ignored). */
    public static byte[] of(ModelRelease release) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            boolean second = release.getRetrievalIndex() != null || release.getVocabularies() != null;
            writeString(out, second ? FORMAT_V2 : FORMAT);
            writeString(out, release.getName());
            out.writeLong(release.getVersion());
            writeString(out, release.getVariant());
            out.writeLong(release.getCreatedAt().toEpochMilli());
            out.writeBoolean(release.getOnnxModel() != null);
            writeOptionalString(out, release.getArtifactUri());
            writeString(out, release.getSha256());
            out.writeInt(release.getHistoryLength());
            writeList(out, release.getItemVocabulary());
            writeList(out, release.getUserVocabulary());
            writeStringMap(out, release.getHyperparameters());
            out.writeInt(release.getMetrics().size());
            for (Map.Entry<String, Double> metric : new TreeMap<>(release.getMetrics()).entrySet()) {
                writeString(out, metric.getKey());
                out.writeLong(Double.doubleToLongBits(metric.getValue()));
            }
            writeStringMap(out, release.getProvenance());
            writeOptionalString(out, release.getSigningKeyId());
            if (second) {
                writeOptionalArtifact(out, release.getRetrievalIndex());
                writeOptionalArtifact(out, release.getVocabularies());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void writeOptionalString(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            writeString(out, value);
        }
    }

    private static void writeOptionalArtifact(DataOutputStream out, ReleaseArtifact artifact) throws IOException {
        out.writeBoolean(artifact != null);
        if (artifact != null) {
            writeString(out, artifact.getUri());
            writeString(out, artifact.getSha256());
            writeString(out, artifact.getFormat());
        }
    }

    private static void writeList(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    private static void writeStringMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : new TreeMap<>(map).entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }
}
