package io.streamrec.schemas.process;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a long-running streamrec command stops: SIGTERM or SIGINT asks it to stop, the command finishes and closes
 * what it holds on its own thread, and only then does the JVM exit and run its shutdown hooks.
 *
 * <p>Why not simply a shutdown hook: ONNX Runtime's Java binding frees its native environment in a shutdown hook
 * of its own, and the JVM runs every hook at once. A session still being built or run when the hooks start (a
 * model loading, a list being scored) then uses freed memory and the JVM dies with SIGSEGV in
 * {@code libonnxruntime}. Handling the signals keeps the JVM's shutdown, and that hook, until after the command
 * closed its sessions.
 *
 * <p>A shutdown hook is still registered, for shutdowns that come another way ({@code System.exit} elsewhere, or
 * a JVM where the signals cannot be handled, which it logs as {@code signals_not_handled}): it asks the command
 * to stop and waits until its work has ended, as a plain hook would.
 *
 * <p>The signal API is {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK since 9),
 * reached by reflection so that compiling against it raises no warning about an internal API.
 *
 * <p>Use: {@code return GracefulStop.run("trainer-serve", service::stop, () -> { service.serve(); return 0; });}.
 * One at a time per process: it replaces the JVM's handling of the two signals while the work runs.
 */
public final class GracefulStop {

    /**
     * A command's work, which ends soon after its stop is requested.
     *
     * @param <T> what it returns, e.g. an exit code
     * @param <E> what it may throw
     */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T call() throws E;
    }

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final String command;
    private final Runnable requestStop;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook;
    private final List<InstalledHandler> handlers;

    private GracefulStop(String command, Runnable requestStop) {
        this.command = command;
        this.requestStop = requestStop;
        this.hook = new Thread(this::stopAtJvmShutdown, command + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        this.handlers = SignalApi.find().map(api -> api.handleAll(SIGNALS, this::onSignal)).orElse(List.of());
        if (handlers.isEmpty()) {
            log.warn("event=signals_not_handled command={} note=\"sun.misc.Signal is not available: SIGTERM starts"
                    + " the JVM's shutdown at once, and a model session in use then can crash the JVM\"", command);
        }
    }

    /**
     * Runs a command's work with SIGTERM and SIGINT turned into a request to stop, and returns what it returns.
     * The JVM's shutdown, if a signal asked for one, begins after this returns (the command's main method then
     * calls {@code System.exit}); a shutdown that began another way waits here until the work has ended.
     *
     * @param command     names the hook thread and the log lines
     * @param requestStop asks the work to stop; runs at most once, on a signal's thread or the hook's, so it must
     *                    return quickly (set a flag, count down a latch) and leave the closing to the work
     */
    public static <T, E extends Exception> T run(String command, Runnable requestStop, Work<T, E> work) throws E {
        GracefulStop stop = new GracefulStop(Objects.requireNonNull(command, "command"),
                Objects.requireNonNull(requestStop, "requestStop"));
        try {
            return work.call();
        } finally {
            stop.workEnded();
        }
    }

    // The work has ended and what it held is closed: a JVM shutdown under way may go on, and the signals get
    // their earlier handling back.
    private void workEnded() {
        ended.countDown();
        for (InstalledHandler handler : handlers) {
            try {
                handler.restore();
            } catch (RuntimeException e) {
                // the process is about to exit anyway; the work's own result matters more
                log.warn("event=signal_handler_not_restored command={} error=\"{}\"", command, e.toString());
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook has run or runs now, and returns since the work has ended
        }
    }

    private void onSignal(String signal) {
        if (requested.compareAndSet(false, true)) {
            log.info("event=stop_requested command={} by=SIG{}", command, signal);
            requestStop.run();
        } else {
            log.info("event=stop_under_way command={} by=SIG{} note=\"the command is closing what it holds;"
                    + " SIGKILL ends it at once\"", command, signal);
        }
    }

    private void stopAtJvmShutdown() {
        if (requested.compareAndSet(false, true)) {
            log.info("event=stop_requested command={} by=jvm-shutdown", command);
            requestStop.run();
        }
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A signal whose handler was replaced, and the handler to put back. */
    private record InstalledHandler(SignalApi api, Object signal, Object previous) {
        void restore() {
            api.handle(signal, previous);
        }
    }

    /** {@code sun.misc.Signal} and {@code sun.misc.SignalHandler}, by reflection. */
    private record SignalApi(Class<?> signalClass, Class<?> handlerClass, Method handle) {

        static Optional<SignalApi> find() {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                return Optional.of(new SignalApi(signalClass, handlerClass,
                        signalClass.getMethod("handle", signalClass, handlerClass)));
            } catch (ReflectiveOperationException | LinkageError e) {
                return Optional.empty();
            }
        }

        /** Handles each signal with {@code onSignal(name)}; none when any of them cannot be handled. */
        List<InstalledHandler> handleAll(List<String> names, Consumer<String> onSignal) {
            List<InstalledHandler> installed = new ArrayList<>();
            try {
                for (String name : names) {
                    Object signal = signalClass.getConstructor(String.class).newInstance(name);
                    Object previous = handle(signal, handler(name, onSignal));
                    installed.add(new InstalledHandler(this, signal, previous));
                }
                return List.copyOf(installed);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // e.g. a JVM started with -Xrs, or a signal the OS reserves: keep the JVM's own handling
                installed.forEach(InstalledHandler::restore);
                return List.of();
            }
        }

        Object handle(Object signal, Object handler) {
            try {
                return handle.invoke(null, signal, handler);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private Object handler(String name, Consumer<String> onSignal) {
            InvocationHandler invocation = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    onSignal.accept(name);
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "toString" -> "GracefulStop handler for SIG" + name;
                default -> throw new UnsupportedOperationException(method.getName());
            };
            return Proxy.newProxyInstance(GracefulStop.class.getClassLoader(), new Class<?>[] {handlerClass},
                    invocation);
        }
    }
}
