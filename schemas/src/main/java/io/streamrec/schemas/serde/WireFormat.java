package io.streamrec.schemas.serde;

/**
 * Confluent's Schema Registry wire format: one magic byte {@value #MAGIC_BYTE}, a 4-byte big-endian schema id,
 * then the Avro binary encoding of the record with that schema.
 */
public final class WireFormat {

    /** The only magic byte of the format. */
    public static final byte MAGIC_BYTE = 0x0;

    /** Bytes before the Avro payload: magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** TopicNameStrategy: the subject of a topic's keys or values. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** The schema id in a record's header; the caller has checked the length and the magic byte. */
    static int schemaId(byte[] record) {
        return ((record[1] & 0xff) << 24) | ((record[2] & 0xff) << 16) | ((record[3] & 0xff) << 8)
                | (record[4] & 0xff);
    }

    static void writeHeader(java.io.ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }
}
