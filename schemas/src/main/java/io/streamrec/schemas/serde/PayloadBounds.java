package io.streamrec.schemas.serde;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Type;

/**
 * Checks an Avro binary payload against its writer schema before it is decoded, so that a hostile or corrupt
 * record can never make the decoder allocate what the record merely claims.
 *
 * <p>Why it exists: Avro's {@code BinaryDecoder} allocates the length a string or bytes value claims, and its
 * readers size an array from its block count, before a byte of them is read. A 13-byte record whose first string
 * claims 2,000,000,000 bytes makes the JVM allocate 2 GB and die of an {@link OutOfMemoryError}; the record is
 * never committed, so every instance that takes the partition over dies on it in turn. Avro's own limits (the
 * {@code org.apache.avro.limits.*} system properties) are JVM-wide statics read once, too coarse to rely on.
 *
 * <p>What a payload that passes is guaranteed to be: the writer schema's encoding of exactly one value, ending
 * on the payload's last byte, in which
 * <ul>
 *   <li>every string and bytes length lies between 0 and the bytes that remain after it, and every fixed, float,
 *       double and boolean fits in them;</li>
 *   <li>every array or map block count is well formed, claims no more items than the bytes that remain can
 *       hold at the item type's smallest encoding, and a byte-size-prefixed block (negative count) spans exactly
 *       the bytes its items take, so a decoder that skips it by its size lands where this walk did;</li>
 *   <li>items of a type that may encode in zero bytes ({@code null}, an empty record), which the payload's
 *       length cannot bound, number at most {@value #MAX_ZERO_BYTE_ITEMS} in the whole record;</li>
 *   <li>every union branch index and enum index is in range, ints take at most 5 varint bytes and longs at most
 *       10 (read as Avro reads them), and records, arrays, maps and unions nest at most {@value #MAX_NESTING}
 *       deep, so a recursive schema cannot overflow the decoder's stack.</li>
 * </ul>
 * So what the decoder then allocates is proportional to the payload's length (plus at most that many zero-byte
 * items), never to a number inside it.
 *
 * <p>Cost: the writer schema is compiled once (the deserializer keeps it per schema id) into a tree of nodes
 * holding each position's smallest encoding and its name for messages; a check is one pass over the bytes that
 * decodes no string and allocates only its cursor. Immutable and thread-safe.
 */
final class PayloadBounds {

    /**
     * Items of a type that encodes in zero bytes ({@code null}, an empty record) cost the payload nothing and
     * the decoder a slot or an object each, so the payload's length cannot bound them. A million is far beyond
     * any real array of them and keeps what one record can make the decoder build from them to tens of
     * megabytes.
     */
    static final long MAX_ZERO_BYTE_ITEMS = 1_000_000;

    /**
     * Avro's readers recurse once or more per nested record, array, map and union, so with a recursive schema
     * a payload of two bytes a level can overflow their stack. Streamrec's schemas nest at most 3 deep; 128
     * leaves room for any sane schema and stays far below what a thread's stack holds.
     */
    static final int MAX_NESTING = 128;

    private static final int MAX_INT_VARINT_BYTES = 5;
    private static final int MAX_LONG_VARINT_BYTES = 10;

    private final Node root;

    /** Compiles the checks for payloads written with this schema. */
    PayloadBounds(Schema writerSchema) {
        this.root = new Compiler().node(writerSchema, "the payload");
    }

    /**
     * Walks {@code length} bytes of {@code data} from {@code offset} as one value of the writer schema.
     *
     * @throws Violation naming the first claim the bytes cannot back, with what was claimed and what remains
     */
    void check(byte[] data, int offset, int length) throws Violation {
        Walk walk = new Walk(data, offset, offset + length);
        walk.value(root, 0);
        if (walk.remaining() != 0) {
            throw new Violation(walk.remaining() + " trailing bytes follow a complete " + root.name + " value");
        }
    }

    /** A payload that does not fit its writer schema; the message says where and how. */
    static final class Violation extends Exception {

        private static final long serialVersionUID = 1L;

        Violation(String message) {
            // No stack trace: it is a verdict on data, turned into an AvroSerdeException at once.
            super(message, null, false, false);
        }
    }

    /**
     * One position of the writer schema. Records are shared between the places that use them, which makes the
     * tree of a recursive schema a graph; a record's {@code children} are filled in while it is compiled and
     * never after.
     */
    private static final class Node {

        final Type type;
        /** The type's name for messages: "string", "ClickEvent". */
        final String name;
        /** Where the value sits, for messages: "field ClickEvent.userId", "an item of field X.tags". */
        final String where;
        /** The fewest bytes a value encodes in; for a record reached again through itself, a lower bound. */
        final int minSize;
        /** A fixed's size, an enum's symbol count. */
        final int size;
        /** A record's fields, a union's branches, an array's item, a map's key and value. */
        final Node[] children;

        Node(Type type, String name, String where, int minSize, int size, Node... children) {
            this.type = type;
            this.name = name;
            this.where = where;
            this.minSize = minSize;
            this.size = size;
            this.children = children;
        }
    }

    /** Compiles a schema into {@link Node}s, each record once. */
    private static final class Compiler {

        private final Map<Schema, Integer> recordMinSizes = new IdentityHashMap<>();
        private final Map<Schema, Node> records = new IdentityHashMap<>();

        Node node(Schema schema, String where) {
            Type type = schema.getType();
            return switch (type) {
                case RECORD -> record(schema);
                case UNION -> new Node(type, "union", where, minSize(schema), schema.getTypes().size(),
                        schema.getTypes().stream().map(branch -> node(branch, where)).toArray(Node[]::new));
                case ARRAY -> new Node(type, "array", where, 1, 0,
                        node(schema.getElementType(), "an item of " + where));
                case MAP -> new Node(type, "map", where, 1, 0,
                        new Node(Type.STRING, "string", "a key of " + where, 1, 0),
                        node(schema.getValueType(), "a value of " + where));
                case ENUM -> new Node(type, schema.getName(), where, 1, schema.getEnumSymbols().size());
                case FIXED -> new Node(type, "fixed", where, schema.getFixedSize(), schema.getFixedSize());
                default -> new Node(type, type.getName(), where, minSize(schema), 0);
            };
        }

        private Node record(Schema schema) {
            Node known = records.get(schema);
            if (known != null) {
                return known;
            }
            List<Schema.Field> fields = schema.getFields();
            Node record = new Node(Type.RECORD, schema.getName(), "record " + schema.getFullName(), minSize(schema),
                    0, new Node[fields.size()]);
            records.put(schema, record);
            for (int i = 0; i < fields.size(); i++) {
                Schema.Field field = fields.get(i);
                record.children[i] = node(field.schema(), "field " + schema.getName() + "." + field.name());
            }
            return record;
        }

        private int minSize(Schema schema) {
            return switch (schema.getType()) {
                case NULL -> 0;
                case FLOAT -> Float.BYTES;
                case DOUBLE -> Double.BYTES;
                case FIXED -> schema.getFixedSize();
                case UNION -> saturated(1L + schema.getTypes().stream().mapToInt(this::minSize).min().orElse(0));
                case RECORD -> recordMinSize(schema);
                // a one-byte varint at least: a boolean, int, long, enum index, length or block count
                default -> 1;
            };
        }

        private int recordMinSize(Schema record) {
            Integer known = recordMinSizes.get(record);
            if (known != null) {
                return known;
            }
            // Reached again through itself before its size is known: 0 is a lower bound, which is all the walk
            // needs (it only ever treats such items as possibly empty, never refuses them for being too short).
            recordMinSizes.put(record, 0);
            int size = saturated(record.getFields().stream().mapToLong(field -> minSize(field.schema())).sum());
            recordMinSizes.put(record, size);
            return size;
        }

        /** A size too large to matter stays {@code Integer.MAX_VALUE} rather than wrapping around. */
        private static int saturated(long size) {
            return (int) Math.min(Integer.MAX_VALUE, size);
        }
    }

    /** One pass over one payload: the cursor and the running count of zero-byte items. */
    private static final class Walk {

        private final byte[] data;
        private final int end;
        private int position;
        private long zeroByteItems;

        Walk(byte[] data, int from, int to) {
            this.data = data;
            this.position = from;
            this.end = to;
        }

        int remaining() {
            return end - position;
        }

        void value(Node node, int depth) throws Violation {
            switch (node.type) {
                case NULL -> { }
                case BOOLEAN -> skip(node, 1);
                case INT -> readInt(node);
                case LONG -> readLong(node);
                case FLOAT -> skip(node, Float.BYTES);
                case DOUBLE -> skip(node, Double.BYTES);
                case FIXED -> skip(node, node.size);
                case STRING, BYTES -> lengthPrefixed(node);
                case ENUM -> index(node);
                case UNION -> value(node.children[index(node)], nested(node, depth));
                case ARRAY, MAP -> blocks(node, nested(node, depth));
                case RECORD -> fields(node, nested(node, depth));
            }
        }

        private void fields(Node record, int depth) throws Violation {
            for (Node field : record.children) {
                value(field, depth);
            }
        }

        private static int nested(Node node, int depth) throws Violation {
            if (depth >= MAX_NESTING) {
                throw new Violation(node.where + " nests deeper than " + MAX_NESTING + " records, arrays, maps and"
                        + " unions (a recursive schema?)");
            }
            return depth + 1;
        }

        private static String block(Node collection) {
            return collection.type == Type.MAP ? "a map block" : "an array block";
        }

        /** An enum's symbol index or a union's branch index. */
        private int index(Node node) throws Violation {
            int index = readInt(node);
            if (index < 0 || index >= node.size) {
                throw new Violation(node.where + (node.type == Type.ENUM
                        ? " has enum index " + index + " but " + node.name + " has " + node.size + " symbols"
                        : " has union branch " + index + " but the union has " + node.size + " branches"));
            }
            return index;
        }

        private void lengthPrefixed(Node node) throws Violation {
            long length = readLong(node);
            if (length < 0 || length > remaining()) {
                String what = node.type == Type.STRING ? "a string" : "a bytes value";
                throw new Violation(node.where + " claims " + what + " of " + length + " bytes but " + remaining()
                        + " remain");
            }
            position += (int) length;
        }

        private void skip(Node node, int length) throws Violation {
            if (length > remaining()) {
                throw new Violation(node.where + " needs " + length + " bytes for a " + node.name + " but "
                        + remaining() + " remain");
            }
            position += length;
        }

        /**
         * An array's or map's blocks: a count, the items, until a zero count. A negative count is the same
         * number of items preceded by the block's byte size, which decoders use to skip the block whole.
         */
        private void blocks(Node collection, int depth) throws Violation {
            boolean map = collection.type == Type.MAP;
            Node item = collection.children[map ? 1 : 0];
            long itemMinSize = map ? 1L + item.minSize : item.minSize;
            for (long count = readLong(collection); count != 0; count = readLong(collection)) {
                long byteSize = count < 0 ? blockByteSize(collection, count) : -1;
                long items = Math.abs(count);
                checkItemCount(collection, items, itemMinSize);
                int itemsStart = position;
                for (long i = 0; i < items; i++) {
                    if (map) {
                        lengthPrefixed(collection.children[0]);
                    }
                    value(item, depth);
                }
                if (byteSize >= 0 && position - itemsStart != byteSize) {
                    throw new Violation(collection.where + " has " + block(collection) + " that claims " + byteSize
                            + " bytes but its " + items + " items take " + (position - itemsStart));
                }
            }
        }

        /** The byte size that follows a negative block count. */
        private long blockByteSize(Node collection, long count) throws Violation {
            if (count == Long.MIN_VALUE) {
                throw new Violation(collection.where + " has " + block(collection) + " with the malformed count "
                        + count);
            }
            long byteSize = readLong(collection);
            if (byteSize < 0 || byteSize > remaining()) {
                throw new Violation(collection.where + " claims " + block(collection) + " of " + byteSize
                        + " bytes but " + remaining() + " remain");
            }
            return byteSize;
        }

        private void checkItemCount(Node collection, long items, long itemMinSize) throws Violation {
            if (itemMinSize > 0 && items > remaining() / itemMinSize) {
                throw new Violation(collection.where + " claims " + block(collection) + " of " + items
                        + " items but " + remaining() + " bytes remain (an item takes at least " + itemMinSize + ")");
            }
            if (itemMinSize == 0) {
                if (items > MAX_ZERO_BYTE_ITEMS - zeroByteItems) {
                    throw new Violation(collection.where + " claims " + items + " more items that may take no"
                            + " bytes, over the limit of " + MAX_ZERO_BYTE_ITEMS + " in one record");
                }
                zeroByteItems += items;
            }
        }

        /** Reads an int as Avro does: at most 5 varint bytes, bits beyond 32 dropped, zig-zag decoded. */
        private int readInt(Node node) throws Violation {
            int value = 0;
            for (int shift = 0; shift < 7 * MAX_INT_VARINT_BYTES; shift += 7) {
                int b = nextVarintByte(node);
                value |= (b & 0x7f) << shift;
                if (b < 0x80) {
                    return (value >>> 1) ^ -(value & 1);
                }
            }
            throw new Violation(node.where + " has an int varint longer than " + MAX_INT_VARINT_BYTES + " bytes");
        }

        /** Reads a long as Avro does: at most 10 varint bytes, bits beyond 64 dropped, zig-zag decoded. */
        private long readLong(Node node) throws Violation {
            long value = 0;
            for (int shift = 0; shift < 7 * MAX_LONG_VARINT_BYTES; shift += 7) {
                int b = nextVarintByte(node);
                value |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return (value >>> 1) ^ -(value & 1);
                }
            }
            throw new Violation(node.where + " has a varint longer than " + MAX_LONG_VARINT_BYTES + " bytes");
        }

        private int nextVarintByte(Node node) throws Violation {
            if (position == end) {
                throw new Violation(node.where + " is cut off: the payload ends inside a " + node.name);
            }
            return data[position++] & 0xff;
        }
    }
}
