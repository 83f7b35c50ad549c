package io.streamrec.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes Avro binary by hand, in Confluent's wire format, so that tests can say exactly which bytes a hostile
 * producer sends: lengths and counts that lie, indexes out of range, varints too long.
 */
final class AvroBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private AvroBytes() {
    }

    /** A record that starts with the wire-format header for this schema id. */
    static AvroBytes record(int schemaId) {
        AvroBytes bytes = new AvroBytes();
        WireFormat.writeHeader(bytes.out, schemaId);
        return bytes;
    }

    /** A zig-zag varint, as Avro writes ints, longs, lengths, counts and indexes. */
    AvroBytes varint(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7fL) != 0) {
            out.write((int) ((zigZag & 0x7f) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return this;
    }

    /** A length-prefixed UTF-8 string. */
    AvroBytes string(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    /** Bytes as they are, e.g. a varint's continuation bytes or a payload's tail. */
    AvroBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** The same byte {@code count} times. */
    AvroBytes repeat(int b, int count) {
        for (int i = 0; i < count; i++) {
            out.write(b);
        }
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
