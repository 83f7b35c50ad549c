package io.streamrec.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.ModelRelease;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated payloads behind valid headers: every one either decodes or is refused with an
 * {@link AvroSerdeException} (never another exception, an OutOfMemoryError or a StackOverflowError), and none
 * makes the thread allocate a mebibyte. The generic seeds have no zero-byte item types ({@code array<null>}),
 * whose cap allows megabytes by design; HostilePayloadTest and ValidPayloadsTest cover those.
 */
class PayloadFuzzTest {

    private static final int PAYLOADS = 50_000;
    private static final long MIB = 1 << 20;
    private static final Map<String, String> CONFIG =
            Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "http://unused:8081");
    /** Lengths and counts a hostile producer would claim: huge, negative, just past an int, Avro's extremes. */
    private static final long[] HUGE_CLAIMS = {2_000_000_000L, Integer.MAX_VALUE, 1L << 32, 64L << 20,
        Long.MAX_VALUE, Long.MIN_VALUE, -1, -2_000_000_000L};

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final Random random = new Random(20_261_207);

    /** Valid records of one topic to mutate, and the deserializer the topic uses. */
    private record Seed(String topic, Deserializer<?> deserializer, List<byte[]> records) { }

    @Test
    void everyRandomOrMutatedPayloadEitherDecodesOrIsRefused() {
        List<Seed> seeds = List.of(clicks(), models(), everything());
        seeds.forEach(PayloadFuzzTest::warmUp);
        int decoded = 0;
        int refused = 0;
        long mostAllocated = 0;
        long allocated = 0;
        List<String> escaped = new ArrayList<>();
        for (int i = 0; i < PAYLOADS; i++) {
            Seed seed = seeds.get(i % seeds.size());
            byte[] record = mutated(seed.records().get(random.nextInt(seed.records().size())));

            AllocationMeter.Outcome outcome =
                    AllocationMeter.run(() -> seed.deserializer().deserialize(seed.topic(), record));

            if (outcome.thrown() == null) {
                decoded++;
            } else if (outcome.thrown() instanceof AvroSerdeException) {
                refused++;
            } else if (escaped.size() < 10) {
                escaped.add(outcome.thrown() + " for " + HexFormat.of().formatHex(record));
            }
            mostAllocated = Math.max(mostAllocated, outcome.allocatedBytes());
            allocated += outcome.allocatedBytes();
        }
        assertThat(escaped).as("exceptions other than AvroSerdeException").isEmpty();
        assertThat(decoded).as("payloads that decoded").isPositive();
        assertThat(refused).as("payloads that were refused").isPositive();
        assertThat(mostAllocated).as("most bytes allocated for one payload").isLessThan(MIB);
        // Mostly the refusals' exceptions and stack traces: about 5 KiB a payload.
        assertThat(allocated / PAYLOADS).as("bytes allocated per payload on average").isLessThan(16 * 1024);
    }

    /**
     * Builds the seed's cached reader and bounds, and takes the first refusal's one-time costs (the JVM links
     * string concatenation on first use: megabytes), so that the loop measures what each payload costs.
     */
    private static void warmUp(Seed seed) {
        seed.records().forEach(record -> seed.deserializer().deserialize(seed.topic(), record));
        byte[] cutOff = Arrays.copyOf(seed.records().get(0), WireFormat.HEADER_LENGTH + 1);
        AllocationMeter.run(() -> seed.deserializer().deserialize(seed.topic(), cutOff));
    }

    /** The record's header with a new payload: random bytes, or the record's with bits flipped, cut or spliced. */
    private byte[] mutated(byte[] record) {
        byte[] header = Arrays.copyOf(record, WireFormat.HEADER_LENGTH);
        byte[] payload = Arrays.copyOfRange(record, WireFormat.HEADER_LENGTH, record.length);
        byte[] mutated = switch (random.nextInt(5)) {
            case 0 -> randomBytes(random.nextInt(120));
            case 1 -> bitsFlipped(payload, 1 + random.nextInt(4));
            case 2 -> Arrays.copyOf(payload, random.nextInt(payload.length));
            case 3 -> spliced(payload, random.nextInt(payload.length + 1), 0, hugeVarint());
            default -> spliced(payload, random.nextInt(payload.length + 1), random.nextInt(5), hugeVarint());
        };
        byte[] result = Arrays.copyOf(header, header.length + mutated.length);
        System.arraycopy(mutated, 0, result, header.length, mutated.length);
        return result;
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] bitsFlipped(byte[] payload, int flips) {
        byte[] flipped = payload.clone();
        for (int i = 0; i < flips && flipped.length > 0; i++) {
            flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return flipped;
    }

    /** The payload with {@code replaced} bytes at {@code at} (as many as there are) replaced by {@code piece}. */
    private static byte[] spliced(byte[] payload, int at, int replaced, byte[] piece) {
        int resumeAt = Math.min(payload.length, at + replaced);
        byte[] result = new byte[at + piece.length + payload.length - resumeAt];
        System.arraycopy(payload, 0, result, 0, at);
        System.arraycopy(piece, 0, result, at, piece.length);
        System.arraycopy(payload, resumeAt, result, at + piece.length, payload.length - resumeAt);
        return result;
    }

    /** A varint claiming a huge or negative length or count, or one longer than any valid varint. */
    private byte[] hugeVarint() {
        int choice = random.nextInt(HUGE_CLAIMS.length + 2);
        if (choice == HUGE_CLAIMS.length) {
            return AvroBytes.piece().repeat(0xff, 10 + random.nextInt(3)).raw(0x01).toBytes();
        }
        long claim = choice < HUGE_CLAIMS.length ? HUGE_CLAIMS[choice] : random.nextLong();
        return AvroBytes.piece().varint(claim).toBytes();
    }

    private Seed clicks() {
        AvroSerde<ClickEvent> serde = AvroSerde.specific(ClickEvent.class, registry, CONFIG, false);
        ClickEvent bare = ClickEvent.newBuilder().setUserId("user-1").setItemId("item-42").setEventType("view")
                .setEventTime(Instant.ofEpochMilli(1_760_000_000_000L)).build();
        ClickEvent full = ClickEvent.newBuilder(bare).setEventType("rating").setSessionId("session-7")
                .setClient("web").setValue(4.5).build();
        return new Seed("clicks", serde.deserializer(),
                List.of(serde.serializer().serialize("clicks", bare), serde.serializer().serialize("clicks", full)));
    }

    private Seed models() {
        AvroSerde<ModelRelease> serde = AvroSerde.specific(ModelRelease.class, registry, CONFIG, false);
        ModelRelease release = ModelRelease.newBuilder()
                .setName("default").setVersion(7).setVariant("neumf")
                .setCreatedAt(Instant.ofEpochMilli(1_760_000_000_000L))
                .setOnnxModel(ByteBuffer.wrap(randomBytes(32))).setSha256("ab".repeat(32)).setHistoryLength(50)
                .setItemVocabulary(List.of("i1", "i2", "i3", "i4", "i5")).setUserVocabulary(List.of("u1", "u2"))
                .setHyperparameters(Map.of("factors", "32")).setMetrics(Map.of("hr@10", 0.71, "ndcg@10", 0.43))
                .setProvenance(Map.of("pairs", "100")).setSigningKeyId("trainer-1")
                .setSignature(ByteBuffer.wrap(randomBytes(8)))
                .build();
        return new Seed("models", serde.deserializer(), List.of(serde.serializer().serialize("models", release)));
    }

    private Seed everything() {
        int id = registry.register("everything-value", RandomEverything.SCHEMA);
        RandomEverything records = new RandomEverything(random);
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            GenericRecord record = records.next();
            written.add(AvroBytes.encoded(id, record, AvroBytes.Encoding.PLAIN));
            written.add(AvroBytes.encoded(id, record, AvroBytes.Encoding.SIZED_BLOCKS));
        }
        Deserializer<GenericRecord> generic = new AvroDeserializer<>(null, registry, CONFIG, false);
        return new Seed("everything", generic, written);
    }
}
