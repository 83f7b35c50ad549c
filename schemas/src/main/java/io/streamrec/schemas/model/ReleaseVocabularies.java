package io.streamrec.schemas.model;

import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.ReleaseArtifact;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A release's item and user vocabularies, wherever they travel: inline in the record, or, when together they
 * are larger than a record should carry (10^6 items and 10^7 users are tens to hundreds of megabytes), in a file
 * the release names by URI with its signed SHA-256 ({@code ModelRelease.vocabularies}), like a large graph.
 * Entry {@code i} of each list has model index {@code i + 1}. Immutable.
 *
 * <p>The file ({@value #FORMAT}): the item count as a big-endian int, then each item id as an int byte length
 * and its UTF-8 bytes, then the users the same way; nothing after.
 */
public record ReleaseVocabularies(List<String> items, List<String> users) {

    /** The {@code ReleaseArtifact.format} of a vocabularies file. */
    public static final String FORMAT = "streamrec-vocabularies.v1";

    /** Reads an artifact's bytes by URI (the streams app's fetcher, the trainer's file reader). */
    @FunctionalInterface
    public interface Fetch {
        byte[] fetch(URI uri) throws IOException;
    }

    /** Copies the lists. */
    public ReleaseVocabularies {
        items = List.copyOf(items);
        users = List.copyOf(users);
    }

    /**
     * The release's vocabularies: its inline lists, or its file fetched, checked against the signed checksum and
     * decoded. Check the release's signature first: the checksum is only as good as it.
     *
     * @throws ReleaseRejectedException {@code artifact} when the file cannot be fetched, {@code checksum} when
     *     its bytes do not match, {@code vocabulary} when the release carries both forms or the file is malformed
     */
    public static ReleaseVocabularies of(ModelRelease release, Fetch fetch) throws ReleaseRejectedException {
        ReleaseArtifact file = release.getVocabularies();
        if (file == null) {
            return new ReleaseVocabularies(release.getItemVocabulary(), release.getUserVocabulary());
        }
        String what = ReleaseVerifier.describe(release);
        if (!release.getItemVocabulary().isEmpty() || !release.getUserVocabulary().isEmpty()) {
            throw new ReleaseRejectedException("vocabulary", what + " carries vocabularies both inline and by URI");
        }
        if (!FORMAT.equals(file.getFormat())) {
            throw new ReleaseRejectedException("vocabulary", what + ": vocabularies in format '" + file.getFormat()
                    + "', this version reads " + FORMAT);
        }
        byte[] bytes;
        try {
            bytes = fetch.fetch(URI.create(file.getUri()));
        } catch (IOException | IllegalArgumentException e) {
            throw new ReleaseRejectedException("artifact", what + ": cannot fetch the vocabularies " + file.getUri()
                    + ": " + e.getMessage(), e);
        }
        ReleaseVerifier.verifyChecksum(release, file, "the vocabularies file", bytes);
        try {
            return decode(bytes);
        } catch (IOException e) {
            throw new ReleaseRejectedException("vocabulary", what + ": malformed vocabularies file: "
                    + e.getMessage(), e);
        }
    }

    /** The {@value #FORMAT} bytes. */
    public byte[] encode() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(32 * (items.size() + users.size()) + 8);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            writeList(out, items);
            writeList(out, users);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return buffer.toByteArray();
    }

    private static void writeList(DataOutputStream out, List<String> ids) throws IOException {
        out.writeInt(ids.size());
        for (String id : ids) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /** Parses {@link #encode}'s bytes; every length is checked against what is left, so no input over-allocates. */
    static ReleaseVocabularies decode(byte[] bytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<String> items = readList(in, "item");
        List<String> users = readList(in, "user");
        if (in.hasRemaining()) {
            throw new IOException(in.remaining() + " bytes after the user vocabulary");
        }
        return new ReleaseVocabularies(items, users);
    }

    private static List<String> readList(ByteBuffer in, String kind) throws IOException {
        int count = readLength(in, kind + " count", 4);
        List<String> ids = new ArrayList<>(count);
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = 0; i < count; i++) {
            int length = readLength(in, kind + " " + i + "'s length", 1);
            ByteBuffer id = in.slice(in.position(), length);
            in.position(in.position() + length);
            try {
                ids.add(decoder.decode(id).toString());
            } catch (CharacterCodingException e) {
                throw new IOException(kind + " " + i + " is not UTF-8", e);
            }
        }
        return ids;
    }

    /** A non-negative int that counts at most what is left, {@code unitBytes} each. */
    private static int readLength(ByteBuffer in, String what, int unitBytes) throws IOException {
        if (in.remaining() < 4) {
            throw new IOException("the file ends before the " + what);
        }
        int value = in.getInt();
        if (value < 0 || (long) value * unitBytes > in.remaining()) {
            throw new IOException("the " + what + " is " + value + " but " + in.remaining() + " bytes are left");
        }
        return value;
    }
}
