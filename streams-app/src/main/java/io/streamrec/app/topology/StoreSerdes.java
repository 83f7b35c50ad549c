package io.streamrec.app.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes for the app's own state stores and their changelogs: plain Avro binary with the generated class's
 * schema and no registry, so restoring state never depends on the registry being up. The changelog is
 * internal to the app; changing a stored class's schema needs a new store name (or a reset).
 */
final class StoreSerdes {

    private StoreSerdes() {
    }

    static <T extends SpecificRecord> Serde<T> avro(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        org.apache.avro.Schema schema = model.getSchema(type);
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema, model);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema, schema, model);
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    try {
                        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
                        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                        writer.write(value, encoder);
                        encoder.flush();
                        return out.toByteArray();
                    } catch (IOException e) {
                        throw new SerializationException("cannot encode " + type.getSimpleName() + " for " + topic, e);
                    }
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
                    } catch (IOException | RuntimeException e) {
                        throw new SerializationException("corrupt " + type.getSimpleName() + " in " + topic, e);
                    }
                });
    }
}
