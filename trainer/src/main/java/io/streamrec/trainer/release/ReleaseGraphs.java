package io.streamrec.trainer.release;

import io.streamrec.avro.ModelRelease;
import io.streamrec.schemas.model.ReleaseRejectedException;
import io.streamrec.schemas.model.ReleaseVerifier;
import io.streamrec.schemas.model.ReleaseVocabularies;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The trainer's side of release verification, for releases it reads back (the gate's baseline, tests): the
 * signature by a trusted key over the canonical form, then the graph bytes, inline or from the
 * {@code file://} artifact the trainer wrote, against the signed SHA-256. The streams app's loader performs
 * the same checks and more (graph signature, probes). Stateless.
 */
public final class ReleaseGraphs {

    private ReleaseGraphs() {
    }

    /**
     * The verified ONNX bytes of the release.
     *
     * @param maxBytes largest artifact to read (an inline graph is already in memory)
     * @throws ReleaseRejectedException with the verifier's reasons ({@code signature}, {@code unknown-key},
     *     {@code signature-missing}, {@code checksum}) or {@code artifact} when the graph cannot be read
     */
    public static byte[] verifiedGraph(ModelRelease release, ReleaseVerifier verifier, long maxBytes)
            throws ReleaseRejectedException {
        verifier.verifySignature(release);
        byte[] graph = graph(release, maxBytes);
        ReleaseVerifier.verifyChecksum(release, graph);
        return graph;
    }

    /** The graph bytes as the release carries them, unverified. */
    static byte[] graph(ModelRelease release, long maxBytes) throws ReleaseRejectedException {
        String what = release.getName() + " v" + release.getVersion();
        ByteBuffer inline = release.getOnnxModel();
        String uri = release.getArtifactUri();
        if ((inline == null) == (uri == null)) {
            throw new ReleaseRejectedException("artifact", what + " must carry exactly one of inline ONNX bytes and an"
                    + " artifact URI");
        }
        if (inline != null) {
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            return bytes;
        }
        try {
            return readFile(URI.create(uri), maxBytes);
        } catch (IOException | IllegalArgumentException e) {
            throw new ReleaseRejectedException("artifact", what + ": cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * The release's vocabularies, inline or from the {@code file://} artifact the trainer wrote, checked against
     * the signed checksum ({@link ReleaseVocabularies#of}). Verify the signature first, as {@link #verifiedGraph}
     * does.
     */
    public static ReleaseVocabularies vocabularies(ModelRelease release, long maxBytes)
            throws ReleaseRejectedException {
        return ReleaseVocabularies.of(release, uri -> readFile(uri, maxBytes));
    }

    private static byte[] readFile(URI location, long maxBytes) throws IOException {
        if (!"file".equals(location.getScheme())) {
            throw new IOException("the trainer reads file:// artifacts only, not " + location);
        }
        Path path = Path.of(location);
        long size = Files.size(path);
        if (size > maxBytes) {
            throw new IOException(location + " has " + size + " bytes, more than the " + maxBytes + "-byte limit");
        }
        return Files.readAllBytes(path);
    }
}
