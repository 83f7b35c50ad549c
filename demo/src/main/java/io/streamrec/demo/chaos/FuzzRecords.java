package io.streamrec.demo.chaos;

import io.streamrec.avro.ClickEvent;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import io.streamrec.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Bad records, deterministic for a seed, of every kind a hostile or broken producer sends: random bytes, unknown
 * schema ids, a wrong magic byte, truncated records, Avro length bombs for strings, bytes, arrays and maps (a few
 * bytes claiming gigabytes), oversize but compressible values, huge keys, keys that are not UTF-8, and tombstones
 * with such keys. Each carries the headers {@value #KIND_HEADER}={@value #FUZZ}, {@value #ID_HEADER} and
 * {@value #CASE_HEADER}, which the app copies into the dead letter, so the verifier can tell which were
 * dead-lettered.
 *
 * <p>The array and map bombs on {@code clicks} use a writer schema a hostile producer could register: the click
 * schema plus an array and a map field with defaults (a backward-compatible change the registry accepts).
 */
final class FuzzRecords {

    static final String KIND_HEADER = ClickLoad.KIND_HEADER;
    static final String FUZZ = "fuzz";
    static final String ID_HEADER = "chaos.fuzz.id";
    static final String CASE_HEADER = "chaos.fuzz.case";

    /** Values above this size are sent by a compressing producer (the broker's limit is 1 MiB per batch). */
    static final int COMPRESSED_ABOVE = 512 * 1024;

    /** One bad record. */
    record Bad(String id, String kind, String topic, byte[] key, byte[] value) {
        RecordHeaders headers() {
            RecordHeaders headers = new RecordHeaders();
            headers.add(KIND_HEADER, FUZZ.getBytes(StandardCharsets.UTF_8));
            headers.add(ID_HEADER, id.getBytes(StandardCharsets.UTF_8));
            headers.add(CASE_HEADER, kind.getBytes(StandardCharsets.UTF_8));
            return headers;
        }

        boolean needsCompression() {
            return (value != null && value.length > COMPRESSED_ABOVE) || (key != null && key.length > COMPRESSED_ABOVE);
        }
    }

    private static final long BOMB = 2_000_000_000L;

    private final SplittableRandom random;
    private final int clickSchemaId;
    private final int extendedClickSchemaId;
    private final int releaseSchemaId;
    private final Schema extendedClick;
    private final byte[] validClick;

    /**
     * Registers the schemas the bad records use (the click and release schemas, and the extended click schema)
     * under the topics' subjects.
     */
    FuzzRecords(SchemaRegistryClient registry, String clicksTopic, String modelsTopic, long seed) {
        this.random = new SplittableRandom(seed);
        this.clickSchemaId = registry.register(WireFormat.subject(clicksTopic, false), ClickEvent.getClassSchema());
        this.extendedClick = extendedClickSchema();
        this.extendedClickSchemaId = registry.register(WireFormat.subject(clicksTopic, false), extendedClick);
        this.releaseSchemaId = registry.register(WireFormat.subject(modelsTopic, false),
                io.streamrec.avro.ModelRelease.getClassSchema());
        this.validClick = framed(clickSchemaId, encode(ClickEvent.newBuilder().setUserId("fuzz-user")
                .setItemId("fuzz-item").setEventType("click").setEventTime(Instant.now()).build()));
    }

    /** {@code count} bad records for the clicks topic, kinds in turn. */
    List<Bad> clicks(String topic, int count) {
        List<Bad> bad = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = "clicks-" + i;
            bad.add(switch (i % 14) {
                case 0 -> new Bad(id, "random-bytes", topic, key(), randomBytes(1 + random.nextInt(200)));
                case 1 -> new Bad(id, "unknown-schema-id", topic, key(), framed(900_000 + random.nextInt(1000),
                        randomBytes(random.nextInt(60))));
                case 2 -> new Bad(id, "wrong-magic", topic, key(), wrongMagic());
                case 3 -> new Bad(id, "truncated", topic, key(), Arrays.copyOf(validClick,
                        WireFormat.HEADER_LENGTH + random.nextInt(validClick.length - WireFormat.HEADER_LENGTH)));
                case 4 -> new Bad(id, "string-bomb", topic, key(), framed(clickSchemaId, varint(BOMB, 8)));
                case 5 -> new Bad(id, "negative-length", topic, key(), framed(clickSchemaId, varint(-5, 4)));
                case 6 -> new Bad(id, "array-bomb", topic, key(), collectionBomb(false));
                case 7 -> new Bad(id, "map-bomb", topic, key(), collectionBomb(true));
                case 8 -> new Bad(id, "empty", topic, key(), new byte[0]);
                case 9 -> new Bad(id, "invalid-utf8-key", topic, invalidUtf8(), validClick);
                case 10 -> new Bad(id, "invalid-utf8-tombstone", topic, invalidUtf8(), null);
                case 11 -> new Bad(id, "unknown-event-type", topic, "fuzz-user".getBytes(StandardCharsets.UTF_8),
                        framed(clickSchemaId, encode(ClickEvent.newBuilder().setUserId("fuzz-user").setItemId("x")
                                .setEventType("teleport").setEventTime(Instant.now()).build())));
                case 12 -> i % 280 == 12 ? new Bad(id, "oversize-compressible", topic, key(), compressible(4 << 20))
                        : new Bad(id, "trailing-bytes", topic, key(), concat(validClick, randomBytes(8)));
                default -> i % 280 == 13 ? new Bad(id, "huge-key", topic, new byte[200_000], validClick)
                        : new Bad(id, "random-after-header", topic, key(), framed(clickSchemaId,
                        randomBytes(random.nextInt(80))));
            });
        }
        return bad;
    }

    /** {@code count} bad records for the models topic, keyed by {@code modelName} half the time. */
    List<Bad> releases(String topic, String modelName, int count) {
        List<Bad> bad = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = "models-" + i;
            byte[] key = (i % 2 == 0 ? modelName : "fuzz-model-" + i).getBytes(StandardCharsets.UTF_8);
            bad.add(switch (i % 7) {
                case 0 -> new Bad(id, "random-bytes", topic, key, randomBytes(1 + random.nextInt(300)));
                case 1 -> new Bad(id, "unknown-schema-id", topic, key, framed(900_000, randomBytes(40)));
                case 2 -> new Bad(id, "wrong-magic", topic, key, wrongMagic());
                case 3 -> new Bad(id, "string-bomb", topic, key, framed(releaseSchemaId, varint(BOMB, 8)));
                case 4 -> new Bad(id, "bytes-bomb", topic, key, releaseBomb(Bomb.BYTES));
                case 5 -> new Bad(id, "array-bomb", topic, key, releaseBomb(Bomb.ARRAY));
                default -> new Bad(id, "map-bomb", topic, key, releaseBomb(Bomb.MAP));
            });
        }
        return bad;
    }

    private enum Bomb { BYTES, ARRAY, MAP }

    /** A release whose first field of the given kind claims two billion bytes or entries. */
    private byte[] releaseBomb(Bomb bomb) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            encoder.writeString("default");
            encoder.writeLong(7);
            encoder.writeString("neumf");
            encoder.writeLong(Instant.now().toEpochMilli());
            if (bomb == Bomb.BYTES) {
                encoder.writeIndex(1);
                encoder.writeLong(BOMB);
            } else {
                encoder.writeIndex(0); // no inline graph
                encoder.writeIndex(0); // no artifact URI
                encoder.writeString("00");
                encoder.writeInt(0);
                if (bomb == Bomb.ARRAY) {
                    encoder.writeLong(BOMB);
                } else {
                    encoder.writeLong(0); // items
                    encoder.writeLong(0); // users
                    encoder.writeLong(BOMB); // hyperparameters
                }
            }
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return framed(releaseSchemaId, concat(out.toByteArray(), randomBytes(4)));
    }

    private byte[] collectionBomb(boolean map) {
        GenericRecord record = new GenericData.Record(extendedClick);
        record.put("userId", "fuzz-user");
        record.put("itemId", "fuzz-item");
        record.put("eventType", "click");
        record.put("eventTime", Instant.now().toEpochMilli());
        record.put("tags", List.of());
        record.put("attributes", java.util.Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(extendedClick).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] valid = out.toByteArray(); // ends with the empty array's and the empty map's terminating zeros
        byte[] prefix = Arrays.copyOf(valid, valid.length - (map ? 1 : 2));
        return framed(extendedClickSchemaId, concat(prefix, varint(BOMB, 0)));
    }

    private static Schema extendedClickSchema() {
        Schema click = ClickEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : click.getFields()) {
            fields.add(new Schema.Field(field.name(), field.schema(), field.doc(), field.defaultVal()));
        }
        fields.add(new Schema.Field("tags", Schema.createArray(Schema.create(Schema.Type.STRING)), null,
                new ArrayList<>()));
        fields.add(new Schema.Field("attributes", Schema.createMap(Schema.create(Schema.Type.STRING)), null,
                new java.util.HashMap<>()));
        return Schema.createRecord(click.getName(), click.getDoc(), click.getNamespace(), false, fields);
    }

    private byte[] key() {
        return ("fuzz-" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] wrongMagic() {
        byte[] bytes = validClick.clone();
        bytes[0] = (byte) (1 + random.nextInt(255));
        return bytes;
    }

    private static byte[] invalidUtf8() {
        return new byte[] {'u', (byte) 0xC3, 0x28, (byte) 0xFF};
    }

    private byte[] compressible(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        byte[] header = framed(clickSchemaId, new byte[0]);
        System.arraycopy(header, 0, bytes, 0, header.length);
        return bytes;
    }

    private static byte[] framed(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(WireFormat.HEADER_LENGTH + payload.length).put(WireFormat.MAGIC_BYTE)
                .putInt(schemaId).put(payload).array();
    }

    private static byte[] encode(ClickEvent click) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<>(ClickEvent.class).write(click, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Avro's zig-zag varint of {@code value}, followed by {@code padding} random-ish bytes. */
    private static byte[] varint(long value, int padding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        for (int i = 0; i < padding; i++) {
            out.write('x');
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
