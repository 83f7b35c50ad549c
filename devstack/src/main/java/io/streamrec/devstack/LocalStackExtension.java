package io.streamrec.devstack;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests a running {@link LocalStack}: declare a {@code LocalStack} parameter on a test
 * method, a lifecycle method or a constructor.
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class ClickRoundTripIT {
 *     @Test
 *     void roundTrip(LocalStack stack) {
 *         Map<String, Object> config = new HashMap<>(stack.clientProperties());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>Lifetime: ONE stack per test run (per JVM launcher session), shared by every test class that uses the
 * extension; it starts on first use, in a fresh temporary directory, and is closed and deleted when the run ends
 * (JUnit closes the root store). Tests share topics and registry subjects, so each test should use its own
 * topic names, subjects and consumer group ids.
 *
 * <p>Configuration parameters (e.g. in {@code junit-platform.properties} or {@code -D} system properties):
 * {@value #PARTITIONS_PARAMETER} sets the partition count of the catalog's multi-partition topics.
 *
 * <p>Thread-safety: safe under parallel test execution; the store creates the stack once.
 */
public final class LocalStackExtension implements ParameterResolver {

    /** Configuration parameter: partitions of the catalog's multi-partition topics (default: the catalog's). */
    public static final String PARTITIONS_PARAMETER = "streamrec.devstack.partitions";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalStackExtension.class);
    private static final String KEY = "stack";

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return stack(extensionContext);
    }

    /** The run's stack, started on first call. */
    public static LocalStack stack(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NAMESPACE)
                .computeIfAbsent(KEY, key -> RunStack.start(partitions(root)), RunStack.class)
                .stack();
    }

    private static int partitions(ExtensionContext root) {
        Optional<String> configured = root.getConfigurationParameter(PARTITIONS_PARAMETER);
        if (configured.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(configured.get().trim());
        } catch (NumberFormatException e) {
            throw new ParameterResolutionException(PARTITIONS_PARAMETER + " must be an integer, got '"
                    + configured.get() + "'", e);
        }
    }

    /** The stack and its temporary directory; JUnit closes it (an AutoCloseable in the store) after the run. */
    private record RunStack(LocalStack stack, Path directory) implements AutoCloseable {

        static RunStack start(int partitions) {
            Path directory = Directories.createTemporary();
            try {
                return new RunStack(LocalStack.start(LocalStack.Settings.in(directory).withPartitions(partitions)),
                        directory);
            } catch (RuntimeException e) {
                Directories.deleteRecursively(directory);
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                stack.close();
            } finally {
                Directories.deleteRecursively(directory);
            }
        }
    }
}
