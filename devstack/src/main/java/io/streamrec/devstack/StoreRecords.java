package io.streamrec.devstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The records of the registry's Kafka topic, as JSON keys and values in the layout Confluent's kafkastore writes
 * ({@code {"keytype":"SCHEMA","subject":"s","version":1,"magic":1}} and so on), so the topic reads like a
 * Confluent registry's. Encoding is deterministic: the same logical key always gives the same bytes, which log
 * compaction relies on. Stateless and thread-safe.
 */
final class StoreRecords {

    /** A key of the store topic. */
    sealed interface Key permits SchemaKey, ConfigKey, DeleteSubjectKey, OtherKey {
    }

    /** One version of a subject. Value: {@link SchemaValue}; a tombstone permanently deletes the version. */
    record SchemaKey(String subject, int version) implements Key {
        SchemaKey {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** The compatibility level of one subject, or the global one when {@code subject} is null. */
    record ConfigKey(String subject) implements Key {
    }

    /** Confluent writes this on a soft subject delete; every version up to {@code version} counts as deleted. */
    record DeleteSubjectKey(String subject) implements Key {
        DeleteSubjectKey {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** A key type this registry does not use (NOOP, MODE, CONTEXT, ...): read and ignored. */
    record OtherKey(String keytype) implements Key {
    }

    /** The value of a {@link SchemaKey}: the schema in its canonical form and its global id. */
    record SchemaValue(String subject, int version, int id, String schema, boolean deleted) {
        SchemaValue {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }

        SchemaValue asDeleted() {
            return new SchemaValue(subject, version, id, schema, true);
        }
    }

    /** The value of a {@link ConfigKey}. */
    record ConfigValue(CompatibilityLevel compatibilityLevel) {
        ConfigValue {
            Objects.requireNonNull(compatibilityLevel, "compatibilityLevel");
        }
    }

    /** The value of a {@link DeleteSubjectKey}. */
    record DeleteSubjectValue(String subject, int version) {
    }

    /** A decoded record; {@code value} is null for a tombstone. */
    record Decoded(Key key, Object value) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    // Readers and writers are immutable; the mapper itself is never handed out, so nobody can reconfigure it.
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StoreRecords() {
    }

    static String encodeKey(Key key) {
        ObjectNode node = NODES.objectNode();
        // Java 17: no pattern matching in switch yet.
        if (key instanceof SchemaKey k) {
            node.put("keytype", "SCHEMA");
            node.put("subject", k.subject());
            node.put("version", k.version());
            node.put("magic", 1);
        } else if (key instanceof ConfigKey k) {
            node.put("keytype", "CONFIG");
            node.put("subject", k.subject());
            node.put("magic", 0);
        } else if (key instanceof DeleteSubjectKey k) {
            node.put("keytype", "DELETE_SUBJECT");
            node.put("subject", k.subject());
            node.put("magic", 0);
        } else {
            throw new IllegalArgumentException("this registry never writes " + key);
        }
        return write(node);
    }

    static String encodeValue(Object value) {
        ObjectNode node = NODES.objectNode();
        if (value instanceof SchemaValue v) {
            node.put("subject", v.subject());
            node.put("version", v.version());
            node.put("id", v.id());
            node.put("schema", v.schema());
            node.put("deleted", v.deleted());
        } else if (value instanceof ConfigValue v) {
            node.put("compatibilityLevel", v.compatibilityLevel().name());
        } else if (value instanceof DeleteSubjectValue v) {
            node.put("subject", v.subject());
            node.put("version", v.version());
        } else {
            throw new IllegalArgumentException("not a store value: " + value);
        }
        return write(node);
    }

    /**
     * Decodes one record of the topic.
     *
     * @throws IllegalArgumentException for a key or value that is not the JSON this store expects
     */
    static Decoded decode(String keyJson, String valueJson) {
        if (keyJson == null) {
            throw new IllegalArgumentException("record without a key");
        }
        JsonNode key = read(keyJson);
        String keytype = text(key, "keytype");
        if (keytype == null) {
            throw new IllegalArgumentException("key without keytype: " + keyJson);
        }
        JsonNode value = valueJson == null ? null : read(valueJson);
        return switch (keytype) {
            case "SCHEMA" -> {
                SchemaKey k = new SchemaKey(requiredText(key, "subject"), requiredInt(key, "version"));
                if (value == null) {
                    yield new Decoded(k, null);
                }
                String type = text(value, "schemaType");
                if (type != null && !"AVRO".equals(type)) {
                    // Written by a registry that supports more types; this one cannot parse it.
                    yield new Decoded(new OtherKey("SCHEMA/" + type), null);
                }
                JsonNode deleted = value.get("deleted");
                yield new Decoded(k, new SchemaValue(k.subject(), k.version(), requiredInt(value, "id"),
                        requiredText(value, "schema"), deleted != null && deleted.asBoolean(false)));
            }
            case "CONFIG" -> {
                ConfigKey k = new ConfigKey(text(key, "subject"));
                if (value == null) {
                    yield new Decoded(k, null);
                }
                String level = requiredText(value, "compatibilityLevel");
                yield new Decoded(k, new ConfigValue(CompatibilityLevel.parse(level).orElseThrow(
                        () -> new IllegalArgumentException("unknown compatibility level " + level))));
            }
            case "DELETE_SUBJECT" -> {
                DeleteSubjectKey k = new DeleteSubjectKey(requiredText(key, "subject"));
                yield new Decoded(k, value == null ? null
                        : new DeleteSubjectValue(k.subject(), requiredInt(value, "version")));
            }
            default -> new Decoded(new OtherKey(keytype), null);
        };
    }

    private static JsonNode read(String json) {
        try {
            JsonNode node = READER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // cannot happen for a tree of plain values
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode child = node.get(field);
        return child == null || child.isNull() ? null : child.asText();
    }

    private static String requiredText(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            throw new IllegalArgumentException("missing \"" + field + "\" in " + node);
        }
        return text;
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode child = node.get(field);
        if (child == null || !child.canConvertToInt() || !child.isIntegralNumber()) {
            throw new IllegalArgumentException("missing or non-integer \"" + field + "\" in " + node);
        }
        return child.intValue();
    }
}
