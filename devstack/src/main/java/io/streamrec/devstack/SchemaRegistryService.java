package io.streamrec.devstack;

import io.streamrec.devstack.AvroCompatibility.Previous;
import io.streamrec.devstack.StoreRecords.ConfigKey;
import io.streamrec.devstack.StoreRecords.ConfigValue;
import io.streamrec.devstack.StoreRecords.SchemaKey;
import io.streamrec.devstack.StoreRecords.SchemaValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.avro.Schema;

/**
 * The operations of Confluent's schema registry API over a {@link KafkaSchemaStore}, one method per endpoint,
 * returning what the endpoint answers (maps, lists and scalars for the JSON writer) or throwing a
 * {@link RegistryException} carrying Confluent's status and error code.
 *
 * <p>Thread-safe: reads run concurrently; every operation that writes holds one lock from its decision to the
 * moment its record is applied, so ids and versions are assigned once, in order.
 */
final class SchemaRegistryService {

    /** Confluent's {@code -1} is an alias of {@code latest}. */
    private static final int LATEST = -1;

    /** What a registration decided under the write lock: the version to answer with, and whether to write it. */
    private record Registration(SchemaValue value, boolean isNew) {
    }

    private final KafkaSchemaStore store;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Canonical text -> parsed schema, so compatibility checks do not re-parse every stored version. */
    private final Map<String, Schema> parsed = new ConcurrentHashMap<>();

    SchemaRegistryService(KafkaSchemaStore store) {
        this.store = store;
    }

    // ---- schemas by id

    Map<String, Object> schemaById(int id) {
        String schema = store.read(state -> state.schemaById(id))
                .orElseThrow(() -> RegistryException.schemaNotFound(id));
        return Map.of("schema", schema);
    }

    List<String> subjectsById(int id, boolean includeDeleted) {
        return store.read(state -> {
            if (state.schemaById(id).isEmpty()) {
                throw RegistryException.schemaNotFound(id);
            }
            return state.subjectsOf(id, includeDeleted);
        });
    }

    List<Map<String, Object>> versionsById(int id, boolean includeDeleted) {
        return store.read(state -> {
            if (state.schemaById(id).isEmpty()) {
                throw RegistryException.schemaNotFound(id);
            }
            return state.usesOf(id, includeDeleted).stream()
                    .map(v -> ordered("subject", v.subject(), "version", v.version()))
                    .toList();
        });
    }

    List<String> schemaTypes() {
        return List.of("AVRO");
    }

    // ---- subjects

    List<String> subjects(boolean includeDeleted, String prefix) {
        List<String> subjects = store.read(state -> state.subjects(includeDeleted));
        return prefix == null ? subjects : subjects.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    List<Integer> versions(String subject, boolean includeDeleted) {
        List<SchemaValue> versions = store.read(state -> state.versions(subject, includeDeleted));
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions.stream().map(SchemaValue::version).toList();
    }

    Map<String, Object> version(String subject, String versionText, boolean includeDeleted) {
        return describe(resolve(subject, parseVersion(versionText), includeDeleted));
    }

    String rawSchema(String subject, String versionText, boolean includeDeleted) {
        return resolve(subject, parseVersion(versionText), includeDeleted).schema();
    }

    /** Schema references are not supported, so nothing can refer to a version; the version must exist. */
    List<Integer> referencedBy(String subject, String versionText) {
        resolve(subject, parseVersion(versionText), false);
        return List.of();
    }

    /** {@code POST /subjects/{subject}}: is this schema registered under the subject? */
    Map<String, Object> lookup(String subject, RegistryJson.SchemaRequest request, boolean includeDeleted) {
        String canonical = canonical(request.schema());
        return store.read(state -> {
            if (!state.hasSubject(subject, includeDeleted)) {
                throw RegistryException.subjectNotFound(subject);
            }
            return describe(state.find(subject, canonical, includeDeleted)
                    .orElseThrow(RegistryException::schemaNotFound));
        });
    }

    /**
     * {@code POST /subjects/{subject}/versions}: the id of the schema under the subject, registering a new version
     * when it is not registered there yet (and compatible).
     */
    Map<String, Object> register(String subject, RegistryJson.SchemaRequest request) {
        Schema schema = parse(request.schema());
        String canonical = schema.toString();
        writeLock.lock();
        try {
            Registration decided = store.read(state -> {
                Optional<SchemaValue> existing = state.find(subject, canonical, false);
                if (existing.isPresent()) {
                    return new Registration(existing.get(), false);
                }
                List<String> problems = AvroCompatibility.check(
                        state.effectiveLevel(subject), schema, previous(state.versions(subject, false)));
                if (!problems.isEmpty()) {
                    throw RegistryException.incompatible(subject, problems);
                }
                OptionalInt knownId = state.idOf(canonical);
                int id = knownId.isPresent() ? knownId.getAsInt() : state.nextId();
                return new Registration(new SchemaValue(subject, state.nextVersion(subject), id, canonical, false),
                        true);
            });
            if (decided.isNew()) {
                store.write(new SchemaKey(subject, decided.value().version()), decided.value());
                parsed.putIfAbsent(canonical, schema);
            }
            return Map.of("id", decided.value().id());
        } finally {
            writeLock.unlock();
        }
    }

    /** Soft delete (the live versions are returned), or permanent delete of an already soft-deleted subject. */
    List<Integer> deleteSubject(String subject, boolean permanent) {
        writeLock.lock();
        try {
            List<SchemaValue> all = store.read(state -> state.versions(subject, true));
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            List<SchemaValue> live = all.stream().filter(v -> !v.deleted()).toList();
            if (permanent) {
                if (!live.isEmpty()) {
                    throw RegistryException.subjectNotSoftDeleted(subject);
                }
                for (SchemaValue version : all) {
                    store.write(new SchemaKey(subject, version.version()), null);
                }
                if (store.read(state -> state.subjectLevel(subject)).isPresent()) {
                    store.write(new ConfigKey(subject), null);
                }
                return all.stream().map(SchemaValue::version).toList();
            }
            if (live.isEmpty()) {
                throw RegistryException.subjectSoftDeleted(subject);
            }
            // One record per version, as Confluent does for a version delete: the topic alone says what is gone.
            for (SchemaValue version : live) {
                store.write(new SchemaKey(subject, version.version()), version.asDeleted());
            }
            return live.stream().map(SchemaValue::version).toList();
        } finally {
            writeLock.unlock();
        }
    }

    int deleteVersion(String subject, String versionText, boolean permanent) {
        int requested = parseVersion(versionText);
        writeLock.lock();
        try {
            SchemaValue version = store.read(state -> {
                if (!state.hasSubject(subject, true)) {
                    throw RegistryException.subjectNotFound(subject);
                }
                Optional<SchemaValue> found = requested == LATEST
                        ? state.latest(subject, permanent) : state.version(subject, requested, true);
                return found.orElseThrow(() -> RegistryException.versionNotFound(requested));
            });
            if (permanent) {
                if (!version.deleted()) {
                    throw RegistryException.versionNotSoftDeleted(subject, version.version());
                }
                store.write(new SchemaKey(subject, version.version()), null);
            } else {
                if (version.deleted()) {
                    throw RegistryException.versionSoftDeleted(subject, version.version());
                }
                store.write(new SchemaKey(subject, version.version()), version.asDeleted());
            }
            return version.version();
        } finally {
            writeLock.unlock();
        }
    }

    // ---- compatibility

    /**
     * {@code POST /compatibility/subjects/{subject}/versions/{version}} ({@code versionText} present) or
     * {@code .../versions} (absent: every version the subject's level asks for, as a registration would check).
     */
    Map<String, Object> checkCompatibility(String subject, Optional<String> versionText,
                                           RegistryJson.SchemaRequest request, boolean verbose) {
        Schema schema = parse(request.schema());
        List<String> problems = store.read(state -> {
            CompatibilityLevel level = state.effectiveLevel(subject);
            List<SchemaValue> against;
            if (versionText.isEmpty()) {
                against = state.versions(subject, false);
            } else {
                int version = parseVersion(versionText.get());
                if (version == LATEST) {
                    // Nothing registered yet: anything is compatible with nothing.
                    against = state.latest(subject, false).map(List::of).orElse(List.of());
                } else {
                    if (!state.hasSubject(subject, false)) {
                        throw RegistryException.subjectNotFound(subject);
                    }
                    against = List.of(state.version(subject, version, false)
                            .orElseThrow(() -> RegistryException.versionNotFound(version)));
                }
            }
            return AvroCompatibility.check(level, schema, previous(against));
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("is_compatible", problems.isEmpty());
        if (verbose) {
            answer.put("messages", problems);
        }
        return answer;
    }

    // ---- config

    Map<String, Object> globalConfig() {
        return Map.of("compatibilityLevel", store.read(RegistryState::globalLevel).name());
    }

    Map<String, Object> setGlobalConfig(CompatibilityLevel level) {
        writeLock.lock();
        try {
            store.write(new ConfigKey(null), new ConfigValue(level));
            return Map.of("compatibility", level.name());
        } finally {
            writeLock.unlock();
        }
    }

    /** Back to the default level; answers the level that was in force. */
    Map<String, Object> deleteGlobalConfig() {
        writeLock.lock();
        try {
            CompatibilityLevel previous = store.read(RegistryState::globalLevel);
            store.write(new ConfigKey(null), null);
            return Map.of("compatibilityLevel", previous.name());
        } finally {
            writeLock.unlock();
        }
    }

    Map<String, Object> subjectConfig(String subject, boolean defaultToGlobal) {
        CompatibilityLevel level = store.read(state -> state.subjectLevel(subject)
                .or(() -> defaultToGlobal ? Optional.of(state.globalLevel()) : Optional.empty()))
                .orElseThrow(() -> RegistryException.subjectCompatibilityNotConfigured(subject));
        return Map.of("compatibilityLevel", level.name());
    }

    /** Allowed before the subject has any schema, as in Confluent. */
    Map<String, Object> setSubjectConfig(String subject, CompatibilityLevel level) {
        writeLock.lock();
        try {
            store.write(new ConfigKey(subject), new ConfigValue(level));
            return Map.of("compatibility", level.name());
        } finally {
            writeLock.unlock();
        }
    }

    Map<String, Object> deleteSubjectConfig(String subject) {
        writeLock.lock();
        try {
            CompatibilityLevel previous = store.read(state -> {
                Optional<CompatibilityLevel> level = state.subjectLevel(subject);
                if (level.isEmpty()) {
                    throw state.hasSubject(subject, true) ? RegistryException.subjectCompatibilityNotConfigured(subject)
                            : RegistryException.subjectNotFound(subject);
                }
                return level.get();
            });
            store.write(new ConfigKey(subject), null);
            return Map.of("compatibilityLevel", previous.name());
        } finally {
            writeLock.unlock();
        }
    }

    Map<String, Object> mode() {
        return Map.of("mode", "READWRITE");
    }

    // ---- helpers

    private SchemaValue resolve(String subject, int version, boolean includeDeleted) {
        return store.read(state -> {
            if (!state.hasSubject(subject, includeDeleted)) {
                throw RegistryException.subjectNotFound(subject);
            }
            Optional<SchemaValue> found = version == LATEST
                    ? state.latest(subject, includeDeleted) : state.version(subject, version, includeDeleted);
            return found.orElseThrow(() -> RegistryException.versionNotFound(version));
        });
    }

    private static Map<String, Object> describe(SchemaValue value) {
        // Confluent's field order; schemaType is omitted for AVRO, as Confluent does.
        return ordered("subject", value.subject(), "version", value.version(), "id", value.id(),
                "schema", value.schema());
    }

    private List<Previous> previous(List<SchemaValue> versions) {
        List<Previous> previous = new ArrayList<>(versions.size());
        for (SchemaValue version : versions) {
            previous.add(new Previous(version.version(), parsed.computeIfAbsent(version.schema(), Schemas::parse)));
        }
        return previous;
    }

    private static Schema parse(String text) {
        try {
            return Schemas.parse(text);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage());
        }
    }

    private static String canonical(String text) {
        return parse(text).toString();
    }

    /** {@code latest} and {@code -1} give {@link #LATEST}; 1..2^31-1 give themselves; anything else is 42202. */
    static int parseVersion(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == LATEST || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the Confluent error below
        }
        throw RegistryException.invalidVersion(text);
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Avro parsing in one place: a fresh parser per schema, since a parser remembers the names it has seen. */
    static final class Schemas {
        private Schemas() {
        }

        static Schema parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("the schema is empty");
            }
            return new Schema.Parser().parse(text);
        }
    }
}
