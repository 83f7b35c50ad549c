package io.streamrec.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry inside the process, with the real registry's id rules (one global id per distinct schema,
 * versions per subject) and a BACKWARD compatibility check, for {@code TopologyTestDriver} tests where no
 * broker (and so no registry) runs. Share one instance between the serdes of a test so ids agree.
 * Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer id = idsBySchema.get(schema);
        if (id != null && versions.contains(id)) {
            return id;
        }
        CompatibilityResult compatibility = checkCompatibility(subject, schema);
        if (!compatibility.compatible()) {
            throw new SchemaRegistryException("schema being registered is incompatible with an earlier schema for"
                    + " subject " + subject + ": " + compatibility.messages(), 409,
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA, null, null);
        }
        if (id == null) {
            id = schemasById.size() + 1;
            schemasById.put(id, schema);
            idsBySchema.put(schema, id);
        }
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Integer id = idsBySchema.get(schema);
        if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(id)) {
            throw notFound("schema not found under subject " + subject, SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw notFound("schema " + id + " not found", SchemaRegistryException.SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema version(String subject, String version) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw notFound("subject " + subject + " not found", SchemaRegistryException.SUBJECT_NOT_FOUND);
        }
        int number = version.equals("latest") ? versions.size() : Integer.parseInt(version);
        if (number < 1 || number > versions.size()) {
            throw notFound("version " + version + " of " + subject + " not found",
                    SchemaRegistryException.VERSION_NOT_FOUND);
        }
        int id = versions.get(number - 1);
        return new RegisteredSchema(subject, id, number, schemasById.get(id));
    }

    @Override
    public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
        if (versions.isEmpty()) {
            return new CompatibilityResult(true, List.of());
        }
        Schema latest = schemasById.get(versions.get(versions.size() - 1));
        var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest).getResult();
        List<String> messages = result.getIncompatibilities().stream().map(Object::toString).toList();
        return new CompatibilityResult(result.getCompatibility()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, messages);
    }

    @Override
    public String location() {
        return "in-memory registry";
    }

    private static SchemaRegistryException notFound(String message, int errorCode) {
        return new SchemaRegistryException(message, 404, errorCode, null, null);
    }
}
