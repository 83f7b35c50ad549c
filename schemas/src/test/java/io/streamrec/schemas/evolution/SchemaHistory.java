package io.streamrec.schemas.evolution;

import io.streamrec.schemas.serde.WireFormat;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The repository's Avro schemas as they are now ({@code schemas/src/main/avro}) and as each release shipped them
 * ({@code schemas/src/test/resources/released/<version>/}), read from the source tree. Immutable.
 *
 * @param current  the current schemas by full name
 * @param released every released copy, by version then file name
 */
record SchemaHistory(Map<String, SchemaFile> current, List<SchemaFile> released) {

    /** Where the released copies live, relative to the project root. */
    static final String RELEASED_DIRECTORY = "schemas/src/test/resources/released";

    /** Where the current schemas live, relative to the project root. */
    static final String CURRENT_DIRECTORY = "schemas/src/main/avro";

    /**
     * One parsed {@code .avsc} file.
     *
     * @param path    the file
     * @param release the release it was frozen in, or empty for a current schema
     * @param schema  its schema
     */
    record SchemaFile(Path path, Optional<String> release, Schema schema) {

        String fullName() {
            return schema.getFullName();
        }

        /** e.g. {@code ClickEvent 0.1.0 (clicks-value)}, for test names and messages. */
        String label() {
            return schema.getName() + release.map(version -> " " + version).orElse("") + " (" + subjects(fullName())
                    + ")";
        }
    }

    SchemaHistory {
        current = Collections.unmodifiableMap(new TreeMap<>(current));
        released = List.copyOf(released);
    }

    /** The schemas of this checkout; the build sets {@code streamrec.project.root}, an IDE runs in the module. */
    static SchemaHistory ofRepository() throws IOException {
        Path root = Path.of(System.getProperty("streamrec.project.root", ".."));
        return read(root.resolve(CURRENT_DIRECTORY), root.resolve(RELEASED_DIRECTORY));
    }

    static SchemaHistory read(Path currentDirectory, Path releasedDirectory) throws IOException {
        Map<String, SchemaFile> current = new TreeMap<>();
        for (SchemaFile file : parseAll(currentDirectory, Optional.empty())) {
            SchemaFile other = current.put(file.fullName(), file);
            if (other != null) {
                throw new IllegalStateException(
                        file.path() + " and " + other.path() + " both define " + file.fullName());
            }
        }
        List<SchemaFile> released = new ArrayList<>();
        for (Path version : sortedChildren(releasedDirectory, Files::isDirectory)) {
            released.addAll(parseAll(version, Optional.of(version.getFileName().toString())));
        }
        return new SchemaHistory(current, released);
    }

    /** The current schema of a released one: the one of the same full name. */
    Optional<SchemaFile> currentOf(SchemaFile released) {
        return Optional.ofNullable(current.get(released.fullName()));
    }

    /** The registry subjects (TopicNameStrategy) whose records have this schema, e.g. {@code clicks-value}. */
    static String subjects(String fullName) {
        List<String> subjects = new ArrayList<>();
        for (TopicSpec topic : TopicCatalog.standard().topics()) {
            if (isAvroType(topic.keyType(), fullName)) {
                subjects.add(WireFormat.subject(topic.name(), true));
            }
            if (isAvroType(topic.valueType(), fullName)) {
                subjects.add(WireFormat.subject(topic.name(), false));
            }
        }
        return subjects.isEmpty() ? "on no topic" : String.join(", ", subjects);
    }

    private static boolean isAvroType(Class<?> type, String fullName) {
        return SpecificRecord.class.isAssignableFrom(type)
                && SpecificData.get().getSchema(type).getFullName().equals(fullName);
    }

    private static List<SchemaFile> parseAll(Path directory, Optional<String> release) throws IOException {
        List<SchemaFile> files = new ArrayList<>();
        for (Path file : sortedChildren(directory, path -> path.getFileName().toString().endsWith(".avsc"))) {
            // One parser per file, as every schema file of the project is self-contained.
            files.add(new SchemaFile(file, release, new Schema.Parser().parse(file.toFile())));
        }
        return files;
    }

    private static List<Path> sortedChildren(Path directory, Predicate<Path> wanted) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(wanted).sorted().toList();
        }
    }
}
