package io.streamrec.demo.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the Maven build defines, read from its poms: the modules, the version, each runnable jar's main class. */
final class ProjectBuild {

    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern VERSION =
            Pattern.compile("<artifactId>streamrec-parent</artifactId>\\s*<version>([^<]+)</version>");
    private static final Pattern MAIN_CLASS = Pattern.compile("<app\\.main\\.class>([^<]*)</app\\.main\\.class>");

    private ProjectBuild() {
    }

    /** The modules the root pom lists, each a directory with its own pom. */
    static Set<String> modules(Path root) {
        Set<String> modules = new LinkedHashSet<>();
        Matcher matcher = MODULE.matcher(Markdown.read(root.resolve("pom.xml")));
        while (matcher.find()) {
            if (Files.isRegularFile(root.resolve(matcher.group(1)).resolve("pom.xml"))) {
                modules.add(matcher.group(1));
            }
        }
        return modules;
    }

    /** The project version every module inherits. */
    static String version(Path root) {
        Matcher matcher = VERSION.matcher(Markdown.read(root.resolve("pom.xml")));
        if (!matcher.find()) {
            throw new IllegalStateException("no streamrec-parent version in the root pom");
        }
        return matcher.group(1);
    }

    /** The main class the module's jar names in its manifest, if the module is runnable. */
    static Optional<String> mainClass(Path root, String module) {
        Path pom = root.resolve(module).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            return Optional.empty();
        }
        Matcher matcher = MAIN_CLASS.matcher(Markdown.read(pom));
        return matcher.find() && !matcher.group(1).isBlank() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
