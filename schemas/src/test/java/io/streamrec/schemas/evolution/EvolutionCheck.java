package io.streamrec.schemas.evolution;

import io.streamrec.schemas.evolution.SchemaHistory.SchemaFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.RandomData;

/**
 * streamrec's schema evolution rule as a check: a current schema and every released version of it must read each
 * other's records. That is Confluent's FULL_TRANSITIVE, stricter than what a registry enforces by itself: no
 * subject's compatibility level is set by streamrec (neither the topic catalog nor the provisioning sets one), so
 * a registry applies its default, BACKWARD against the latest version only. Both directions matter because
 * producers and consumers upgrade independently (an old consumer meets new records, a new one old records), and
 * every release matters because the compacted topics ({@code interactions}, {@code models}) keep a key's last
 * record however old it is. Stateless.
 */
final class EvolutionCheck {

    /** Random records written per direction: enough to take every union branch of every field many times. */
    private static final int RECORDS_PER_DIRECTION = 200;

    /** Fixed, so that a failure names the same record on every run. */
    private static final long SEED = 25L;

    private EvolutionCheck() {
    }

    /** Everything wrong between one released schema file and the current schemas; empty when nothing is. */
    static List<String> problems(SchemaHistory history, SchemaFile released) {
        Optional<SchemaFile> current = history.currentOf(released);
        if (current.isEmpty()) {
            return List.of(released.path() + ": " + released.fullName() + " was released but has no current schema"
                    + " in " + SchemaHistory.CURRENT_DIRECTORY + "; records written with it may still be on a topic and"
                    + " their readers need it, so a released schema must not be removed or renamed: restore it");
        }
        return problems(current.get().schema(), released.schema());
    }

    /** What keeps a current schema and a released one from reading each other's records; empty when nothing. */
    static List<String> problems(Schema current, Schema released) {
        List<String> problems = new ArrayList<>();
        problems.addAll(incompatibilities("backward (current schema reading released records)", current, released));
        problems.addAll(incompatibilities("forward (released schema reading current records)", released, current));
        if (problems.isEmpty()) {
            // Avro's checker says the two resolve; records written with one and read with the other show it.
            problems.addAll(crossing("backward", released, current));
            problems.addAll(crossing("forward", current, released));
        }
        return problems;
    }

    private static List<String> incompatibilities(String direction, Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
                .getIncompatibilities().stream()
                .map(problem -> direction + ": " + problem.getType() + " at " + problem.getLocation() + ": "
                        + problem.getMessage())
                .toList();
    }

    /** Random records written with {@code writer} and read with {@code reader}; the first that goes wrong. */
    private static List<String> crossing(String direction, Schema writer, Schema reader) {
        GenericDatumWriter<Object> out = new GenericDatumWriter<>(writer);
        GenericDatumReader<Object> in = new GenericDatumReader<>(writer, reader);
        int index = 0;
        for (Object written : new RandomData(writer, RECORDS_PER_DIRECTION, SEED)) {
            Optional<String> problem = cross((GenericRecord) written, out, in, reader);
            if (problem.isPresent()) {
                return List.of(direction + ": random record " + index + " " + problem.get() + "; written: " + written);
            }
            index++;
        }
        return List.of();
    }

    private static Optional<String> cross(GenericRecord written, GenericDatumWriter<Object> out,
                                          GenericDatumReader<Object> in, Schema reader) {
        Map<String, Object> writtenFields = fields(written);
        GenericRecord read;
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(encode(out, written), null);
            read = (GenericRecord) in.read(null, decoder);
            if (!decoder.isEnd()) {
                return Optional.of("was read without consuming all its bytes");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("could not be read: " + e);
        }
        if (!GenericData.get().validate(reader, read)) {
            return Optional.of("was read into a value the reader schema does not describe: " + read);
        }
        for (Schema.Field field : reader.getFields()) {
            Optional<Schema.Field> source = writerField(written.getSchema(), field);
            if (source.isPresent() && !source.get().schema().equals(field.schema())) {
                continue; // the field's type evolved (a nested field, a promotion): resolving it is the check
            }
            Object expected = source.isPresent() ? writtenFields.get(source.get().name())
                    : plain(GenericData.get().getDefaultValue(field));
            Object actual = plain(read.get(field.pos()));
            if (!Objects.equals(expected, actual)) {
                return Optional.of("read field " + field.name() + " as " + actual + ", expected " + expected);
            }
        }
        return Optional.empty();
    }

    /** The writer's field a reader field takes its value from: same name, or one of the reader field's aliases. */
    private static Optional<Schema.Field> writerField(Schema writer, Schema.Field readerField) {
        Schema.Field sameName = writer.getField(readerField.name());
        if (sameName != null) {
            return Optional.of(sameName);
        }
        return readerField.aliases().stream().map(writer::getField).filter(Objects::nonNull).findFirst();
    }

    private static byte[] encode(GenericDatumWriter<Object> writer, Object record) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        writer.write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static Map<String, Object> fields(GenericRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            fields.put(field.name(), plain(record.get(field.pos())));
        }
        return fields;
    }

    /**
     * A value as plain Java data that compares by content: a record as its fields, a map sorted by key, strings
     * whether {@code String} or Avro's {@code Utf8}, bytes and fixed as hex.
     */
    private static Object plain(Object value) {
        if (value instanceof GenericRecord record) {
            return fields(record);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, entry) -> sorted.put(key.toString(), plain(entry)));
            return sorted;
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(EvolutionCheck::plain).toList();
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer view = buffer.duplicate();
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof GenericFixed fixed) {
            return HexFormat.of().formatHex(fixed.bytes());
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
            return value.toString();
        }
        return value;
    }
}
