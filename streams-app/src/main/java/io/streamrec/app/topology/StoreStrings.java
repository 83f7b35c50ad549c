package io.streamrec.app.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Strings in the stores' own binary formats ({@link UserHistory}, {@link ClickQueue}): a 4-byte length, then the
 * UTF-8 bytes. Reading checks the length against the bytes left, so a corrupt record is an error, not an
 * allocation of whatever size its length claims. Stateless.
 */
final class StoreStrings {

    private StoreStrings() {
    }

    /** How many bytes {@link #write} takes for a string's UTF-8 encoding. */
    static int size(byte[] utf8) {
        return Integer.BYTES + utf8.length;
    }

    static ByteBuffer write(ByteBuffer out, byte[] utf8) {
        return out.putInt(utf8.length).put(utf8);
    }

    static String read(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new SerializationException("a string of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
