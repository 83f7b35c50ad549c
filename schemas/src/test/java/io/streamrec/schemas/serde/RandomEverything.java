package io.streamrec.schemas.serde;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Random generic records of a schema that uses every Avro type: primitives, fixed, enum, unions, arrays of
 * records, maps of arrays, and recursion (a tree and a chain), for tests that must cover every shape the bounds
 * check walks. Items that encode in zero bytes are left out: what they allocate is bounded by the check's cap,
 * not by the payload's length, which the fuzz test's allocation bound relies on.
 */
final class RandomEverything {

    static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Everything", "namespace": "test", "fields": [
              {"name": "nothing", "type": "null"},
              {"name": "flag", "type": "boolean"},
              {"name": "count", "type": "int"},
              {"name": "total", "type": "long"},
              {"name": "ratio", "type": "float"},
              {"name": "score", "type": "double"},
              {"name": "label", "type": "string"},
              {"name": "blob", "type": "bytes"},
              {"name": "digest", "type": {"type": "fixed", "name": "Digest", "size": 4}},
              {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
              {"name": "choice", "type": ["null", "int", "string", {"type": "array", "items": "long"},
                                          {"type": "map", "values": "Digest"}]},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                {"name": "id", "type": "string"},
                {"name": "weights", "type": {"type": "map", "values": {"type": "array", "items": "double"}}}]}}},
              {"name": "tree", "type": {"type": "record", "name": "Tree", "fields": [
                {"name": "name", "type": "string"},
                {"name": "children", "type": {"type": "array", "items": "Tree"}}]}},
              {"name": "chain", "type": ["null", {"type": "record", "name": "Link", "fields": [
                {"name": "value", "type": "int"}, {"name": "next", "type": ["null", "Link"]}]}]}
            ]}""");

    private final Random random;

    RandomEverything(Random random) {
        this.random = random;
    }

    /** A new record with random values, and random sizes for its strings, bytes, arrays and maps. */
    GenericRecord next() {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("flag", random.nextBoolean());
        record.put("count", random.nextInt());
        record.put("total", random.nextLong());
        record.put("ratio", random.nextFloat());
        record.put("score", random.nextGaussian());
        record.put("label", text());
        record.put("blob", ByteBuffer.wrap(bytes(random.nextInt(300))));
        record.put("digest", digest());
        record.put("color", new GenericData.EnumSymbol(SCHEMA.getField("color").schema(),
                List.of("RED", "GREEN", "BLUE").get(random.nextInt(3))));
        record.put("choice", choice());
        record.put("items", list(random.nextInt(40), this::item));
        record.put("tree", tree(4));
        record.put("chain", random.nextBoolean() ? null : link(1 + random.nextInt(40)));
        return record;
    }

    private Object choice() {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> random.nextInt();
            case 2 -> text();
            case 3 -> list(random.nextInt(100), random::nextLong);
            default -> map(random.nextInt(30), this::digest);
        };
    }

    private GenericRecord item() {
        GenericRecord item = new GenericData.Record(SCHEMA.getField("items").schema().getElementType());
        item.put("id", text());
        item.put("weights", map(random.nextInt(5), () -> list(random.nextInt(20), random::nextDouble)));
        return item;
    }

    private GenericRecord tree(int depth) {
        GenericRecord tree = new GenericData.Record(SCHEMA.getField("tree").schema());
        tree.put("name", text());
        tree.put("children", depth == 0 ? List.of() : list(random.nextInt(4), () -> tree(depth - 1)));
        return tree;
    }

    private GenericRecord link(int length) {
        GenericRecord link = new GenericData.Record(SCHEMA.getField("chain").schema().getTypes().get(1));
        link.put("value", random.nextInt());
        link.put("next", length == 1 ? null : link(length - 1));
        return link;
    }

    private GenericData.Fixed digest() {
        return new GenericData.Fixed(SCHEMA.getField("digest").schema(), bytes(4));
    }

    private String text() {
        return random.ints(random.nextInt(30), 0x20, 0x3000).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static <V> List<V> list(int size, Supplier<V> element) {
        List<V> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    private <V> Map<String, V> map(int size, Supplier<V> value) {
        Map<String, V> map = new HashMap<>();
        for (int i = 0; i < size; i++) {
            map.put("k" + i + text(), value.get());
        }
        return map;
    }
}
