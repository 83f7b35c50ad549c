package io.streamrec.devstack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON of the registry's REST API: parsing request bodies into the few shapes Confluent's API accepts, and
 * writing responses. Stateless and thread-safe.
 */
final class RegistryJson {

    /** The body of a register, lookup or compatibility request, validated: an Avro schema text. */
    record SchemaRequest(String schema) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    // Only immutable readers and writers leave this class, so the mapper's configuration cannot change.
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter WRITER = MAPPER.writer();

    private RegistryJson() {
    }

    /**
     * Parses {@code {"schema": "...", "schemaType": "AVRO", "references": []}}; other fields (Confluent's
     * {@code id}, {@code version}, {@code metadata}, {@code ruleSet}) are ignored as they carry nothing here.
     *
     * @throws RegistryException 400 for malformed JSON, 422 (42201) for a missing schema, another schema type or
     *                           schema references
     */
    static SchemaRequest schemaRequest(byte[] body) {
        JsonNode root = object(body);
        JsonNode schema = root.get("schema");
        if (schema == null || schema.isNull()) {
            throw RegistryException.invalidSchema("the request has no \"schema\" field");
        }
        if (!schema.isTextual()) {
            throw RegistryException.invalidSchema("\"schema\" must be a string holding the schema's JSON, got "
                    + schema.getNodeType());
        }
        JsonNode type = root.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equals(type.asText())) {
            throw RegistryException.invalidSchema("schema type '" + type.asText()
                    + "' is not supported by this registry; it serves AVRO only");
        }
        JsonNode references = root.get("references");
        if (references != null && !references.isNull() && !(references.isArray() && references.isEmpty())) {
            throw RegistryException.invalidSchema("schema references are not supported by this registry;"
                    + " register a self-contained schema");
        }
        return new SchemaRequest(schema.asText());
    }

    /**
     * The level of a {@code PUT /config} body {@code {"compatibility": "FULL"}}.
     *
     * @throws RegistryException 400 for malformed JSON, 422 (42203) for a missing or unknown level
     */
    static CompatibilityLevel configRequest(byte[] body) {
        JsonNode root = object(body);
        JsonNode level = root.get("compatibility");
        String text = level == null || level.isNull() ? null : level.asText();
        return CompatibilityLevel.parse(text).orElseThrow(() -> RegistryException.invalidCompatibilityLevel(text));
    }

    /** {@code {"error_code": code, "message": message}}. */
    static byte[] error(int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        return write(body);
    }

    static byte[] write(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON response", e); // plain maps, lists and scalars only
        }
    }

    private static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : READER.readTree(body);
        } catch (java.io.IOException e) {
            throw RegistryException.badRequest("Malformed JSON in the request body: "
                    + firstLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw RegistryException.badRequest("The request body is empty; a JSON object is required");
        }
        if (!root.isObject()) {
            throw RegistryException.badRequest("The request body must be a JSON object, got " + root.getNodeType()
                    + ": " + abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
        return root;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }
}
