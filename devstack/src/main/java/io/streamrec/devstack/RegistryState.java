package io.streamrec.devstack;

import io.streamrec.devstack.StoreRecords.ConfigKey;
import io.streamrec.devstack.StoreRecords.ConfigValue;
import io.streamrec.devstack.StoreRecords.DeleteSubjectKey;
import io.streamrec.devstack.StoreRecords.DeleteSubjectValue;
import io.streamrec.devstack.StoreRecords.Key;
import io.streamrec.devstack.StoreRecords.SchemaKey;
import io.streamrec.devstack.StoreRecords.SchemaValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the registry knows: the materialized view of its Kafka topic, built only by {@link #apply} in topic
 * order. Queries return immutable values.
 *
 * <p>Not thread-safe: {@link KafkaSchemaStore} guards it with a read-write lock.
 */
final class RegistryState {

    /** Subject name -> version -> record; soft-deleted versions stay, flagged, until a tombstone removes them. */
    private final Map<String, NavigableMap<Integer, SchemaValue>> subjects = new TreeMap<>();
    /** Global id -> canonical schema; an id resolves while any version (deleted or not) still uses it. */
    private final Map<Integer, String> schemasById = new HashMap<>();
    /** Canonical schema -> its global id: the same schema gets the same id in every subject. */
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    /** Never goes down within a process, so a permanently deleted id is not handed out again here. */
    private int maxId;

    /** Applies one record of the topic; {@code value} null is a tombstone. */
    void apply(Key key, Object value) {
        if (key instanceof SchemaKey k) {
            applySchema(k, (SchemaValue) value);
        } else if (key instanceof ConfigKey k) {
            CompatibilityLevel level = value == null ? null : ((ConfigValue) value).compatibilityLevel();
            if (k.subject() == null) {
                globalLevel = level;
            } else if (level == null) {
                subjectLevels.remove(k.subject());
            } else {
                subjectLevels.put(k.subject(), level);
            }
        } else if (key instanceof DeleteSubjectKey k && value instanceof DeleteSubjectValue v) {
            NavigableMap<Integer, SchemaValue> versions = subjects.get(k.subject());
            if (versions != null) {
                versions.headMap(v.version(), true).replaceAll((version, schema) -> schema.asDeleted());
            }
        }
        // Other key types (NOOP, MODE, ...) carry nothing this registry serves.
    }

    private void applySchema(SchemaKey key, SchemaValue value) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(key.subject());
        SchemaValue previous = versions == null ? null : versions.get(key.version());
        if (value == null) {
            if (previous != null) {
                versions.remove(key.version());
                if (versions.isEmpty()) {
                    subjects.remove(key.subject());
                }
                forgetIdIfUnused(previous.id());
            }
            return;
        }
        subjects.computeIfAbsent(key.subject(), s -> new TreeMap<>()).put(key.version(), value);
        schemasById.putIfAbsent(value.id(), value.schema());
        idsBySchema.merge(value.schema(), value.id(), Math::min);
        maxId = Math.max(maxId, value.id());
        if (previous != null && previous.id() != value.id()) {
            forgetIdIfUnused(previous.id());
        }
    }

    private void forgetIdIfUnused(int id) {
        boolean used = subjects.values().stream()
                .flatMap(versions -> versions.values().stream())
                .anyMatch(version -> version.id() == id);
        if (!used) {
            String schema = schemasById.remove(id);
            if (schema != null) {
                idsBySchema.remove(schema, id);
            }
        }
    }

    /** Subjects with at least one live version, or with any version when {@code includeDeleted}; sorted. */
    List<String> subjects(boolean includeDeleted) {
        return subjects.entrySet().stream()
                .filter(e -> includeDeleted || e.getValue().values().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Whether the subject has a live version, or any version when {@code includeDeleted}. */
    boolean hasSubject(String subject, boolean includeDeleted) {
        return !versions(subject, includeDeleted).isEmpty();
    }

    /** The subject's versions, oldest first; live ones only unless {@code includeDeleted}. */
    List<SchemaValue> versions(String subject, boolean includeDeleted) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    Optional<SchemaValue> version(String subject, int version, boolean includeDeleted) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        SchemaValue value = versions == null ? null : versions.get(version);
        return value == null || (value.deleted() && !includeDeleted) ? Optional.empty() : Optional.of(value);
    }

    Optional<SchemaValue> latest(String subject, boolean includeDeleted) {
        List<SchemaValue> versions = versions(subject, includeDeleted);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    /** The version of the subject holding exactly this canonical schema, the newest if several. */
    Optional<SchemaValue> find(String subject, String canonicalSchema, boolean includeDeleted) {
        List<SchemaValue> versions = new ArrayList<>(versions(subject, includeDeleted));
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).schema().equals(canonicalSchema)) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    OptionalInt idOf(String canonicalSchema) {
        Integer id = idsBySchema.get(canonicalSchema);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Every (subject, version) using the id, sorted by subject then version. */
    List<SchemaValue> usesOf(int id, boolean includeDeleted) {
        return subjects.values().stream()
                .flatMap(versions -> versions.values().stream())
                .filter(v -> v.id() == id && (includeDeleted || !v.deleted()))
                .toList();
    }

    /** Subjects using the id, sorted, without repeats. */
    List<String> subjectsOf(int id, boolean includeDeleted) {
        return List.copyOf(new TreeSet<>(usesOf(id, includeDeleted).stream().map(SchemaValue::subject).toList()));
    }

    int nextId() {
        return maxId + 1;
    }

    /** Versions keep counting after soft deletes (as in Confluent); only tombstones free numbers. */
    int nextVersion(String subject) {
        NavigableMap<Integer, SchemaValue> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    CompatibilityLevel globalLevel() {
        return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
    }

    /** The level that governs the subject: its own, else the global one. */
    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevel(subject).orElse(globalLevel());
    }
}
