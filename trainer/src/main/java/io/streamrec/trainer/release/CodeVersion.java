package io.streamrec.trainer.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Which trainer code produced a release: the Maven project version written into {@code build.properties} at
 * build time, plus the source commit when the build environment names it ({@value #COMMIT_ENV}, set by CI or
 * an image build), e.g. {@code 0.1.0-SNAPSHOT+<commit>}. Stateless.
 */
final class CodeVersion {

    /** Environment variable with the source commit of the running build, if known. */
    static final String COMMIT_ENV = "STREAMREC_GIT_COMMIT";

    private static final String RESOURCE = "build.properties";

    private CodeVersion() {
    }

    /** The version of the running trainer, with the commit from the process environment if set. */
    static String current() {
        return of(projectVersion(), System.getenv());
    }

    /** {@code version} plus {@code +commit} when {@code environment} names a commit. */
    static String of(String version, Map<String, String> environment) {
        String commit = environment.get(COMMIT_ENV);
        return commit == null || commit.isBlank() ? version : version + "+" + commit.trim();
    }

    /** The Maven project version the classes were built from ({@code unknown} outside a Maven build). */
    static String projectVersion() {
        try (InputStream in = CodeVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            // An unfiltered copy (e.g. an IDE build) still holds the placeholder.
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
