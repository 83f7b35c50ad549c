package io.streamrec.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes records in Confluent's wire format: by hand, so that tests can say exactly which bytes a hostile
 * producer sends (lengths and counts that lie, indexes out of range, varints too long), or with Avro's own
 * encoders.
 */
final class AvroBytes {

    /** How Avro writes arrays and maps: plain blocks, or byte-size-prefixed blocks of at most 64 bytes. */
    enum Encoding {
        PLAIN(out -> EncoderFactory.get().directBinaryEncoder(out, null)),
        SIZED_BLOCKS(out -> new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null));

        private final Function<ByteArrayOutputStream, Encoder> encoder;

        Encoding(Function<ByteArrayOutputStream, Encoder> encoder) {
            this.encoder = encoder;
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private AvroBytes() {
    }

    /** A record that starts with the wire-format header for this schema id. */
    static AvroBytes record(int schemaId) {
        AvroBytes bytes = new AvroBytes();
        WireFormat.writeHeader(bytes.out, schemaId);
        return bytes;
    }

    /** Bare Avro bytes, with no header: a piece to splice into a record. */
    static AvroBytes piece() {
        return new AvroBytes();
    }

    /** A record encoded by Avro with its own schema, behind the header for this schema id. */
    static byte[] encoded(int schemaId, GenericRecord datum, Encoding encoding) {
        AvroBytes bytes = record(schemaId);
        try {
            Encoder encoder = encoding.encoder.apply(bytes.out);
            new GenericDatumWriter<GenericRecord>(datum.getSchema()).write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toBytes();
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
