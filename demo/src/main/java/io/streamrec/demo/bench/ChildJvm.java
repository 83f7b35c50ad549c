package io.streamrec.demo.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * A program in a JVM of its own (the benchmark's streams-app instances, each component of the chaos cluster):
 * started from its jar, killed with SIGKILL, frozen with SIGSTOP (a process that keeps its sockets open and
 * accepts connections but never answers), stopped with SIGTERM, and started again with the same command. Output goes to a log file, appended across restarts.
 *
 * <p>The child exits when this JVM is gone, even after a SIGKILL that runs no shutdown hook: it runs the jar's
 * main class through {@link ExitWithParent}, with the jar and a directory holding only that one class on its
 * class path ({@code launcher} beside the log), so the program sees its own dependencies and no others, as with
 * {@code java -jar}. (The jars this project builds declare no {@code Add-Opens} or agent in their manifests,
 * which only {@code -jar} would apply.)
 *
 * <p>Tracks whether it is meant to be running, so an exit nobody asked for is reported, and the peak resident
 * set size over all its incarnations. Thread-safe.
 */
public final class ChildJvm implements AutoCloseable {

    /** The exit status of a JVM that aborted: a fatal error (hs_err) or a native library's abort(). */
    private static final int CRASH_EXIT = 128 + 6;
    private static final int SEGFAULT_EXIT = 128 + 11;

    private final String name;
    private final List<String> command;
    private final Path log;
    private final Path launcherDirectory;
    private Process process; // guarded by 'this'
    private boolean meantToRun; // guarded by 'this'
    private boolean frozen; // guarded by 'this'
    private long peakRssBytes; // guarded by 'this'
    private final List<String> unexpectedExits = new ArrayList<>(); // guarded by 'this'

    private ChildJvm(String name, List<String> command, Path log, Path launcherDirectory) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.launcherDirectory = launcherDirectory;
    }

    /**
     * A JVM running the main class of {@code jar} with {@code jvmOptions} and {@code arguments}, with this JVM's
     * {@code java}, as {@code java <jvmOptions> -jar <jar> <arguments>} would but ending with this JVM.
     */
    public static ChildJvm of(String name, Path jar, List<String> jvmOptions, List<String> arguments, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn -B -Dmaven.test.skip=true -pl demo"
                    + " -am package");
        }
        Path launcherDirectory = log.toAbsolutePath().getParent().resolve("launcher");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(launcherDirectory + File.pathSeparator + jar);
        command.add(ExitWithParent.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(mainClass(jar));
        command.addAll(arguments);
        return new ChildJvm(name, command, log, launcherDirectory);
    }

    private static String mainClass(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String main = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main == null) {
                throw new IllegalStateException(jar + " names no Main-Class in its manifest");
            }
            return main;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }

    /**
     * Writes {@link ExitWithParent}'s class file into the launcher directory unless it is there already. A
     * sibling may be starting from the same directory: the file is replaced atomically, never rewritten in place.
     */
    private static void installLauncher(Path directory) throws IOException {
        String resource = ExitWithParent.class.getSimpleName() + ".class";
        byte[] bytes;
        try (InputStream in = ExitWithParent.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on this JVM's class path");
            }
            bytes = in.readAllBytes();
        }
        Path target = directory.resolve(ExitWithParent.class.getName().replace('.', '/') + ".class");
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), "launcher", ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public String name() {
        return name;
    }

    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        installLauncher(launcherDirectory);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        meantToRun = true;
    }

    /** SIGKILL: no shutdown hook, no leaving the group, no transaction abort. Waits until it is gone. */
    public synchronized void kill() throws InterruptedException {
        meantToRun = false;
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM and a wait for the program to stop, then SIGKILL if it takes longer than {@code grace}. A JVM that
     * crashes on the way out (exit 134, an abort or a fatal error; 139, a segmentation fault) is noted as an
     * unexpected exit.
     */
    public synchronized void stop(Duration grace) throws InterruptedException {
        meantToRun = false;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            } else if (process.exitValue() == CRASH_EXIT || process.exitValue() == SEGFAULT_EXIT) {
                unexpectedExits.add(name + " crashed while stopping (exit " + process.exitValue() + "; see "
                        + log + " and any hs_err file)");
            }
        }
    }

    /** SIGTERM without waiting, so several children can shut down at once; {@link #stop} then waits. */
    public synchronized void terminate() {
        meantToRun = false;
        if (process != null) {
            process.destroy();
        }
    }

    /** SIGSTOP: the process stays, its listening sockets keep accepting connections, nothing answers. */
    public synchronized void freeze() throws IOException, InterruptedException {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() throws IOException, InterruptedException {
        signal("CONT");
        frozen = false;
    }

    private void signal(String signal) throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Reads the resident set size's high-water mark and notes an exit nobody asked for. Called about once a
     * second by the cluster's sampler.
     */
    public synchronized void sample() {
        if (process == null) {
            return;
        }
        if (!process.isAlive()) {
            if (meantToRun) {
                unexpectedExits.add(name + " exited with " + process.exitValue());
                meantToRun = false;
            }
            return;
        }
        try {
            peakRssBytes = Math.max(peakRssBytes, memory().peakBytes());
        } catch (IOException | NumberFormatException e) {
            // the process exited between the check and the read; the next sample notes it
        }
    }

    /** A process's resident set size and its high-water mark (VmRSS, VmHWM), in bytes. */
    public record Memory(long rssBytes, long peakBytes) { }

    /** The running process's memory, from /proc; an {@link IOException} when it is not running. */
    public synchronized Memory memory() throws IOException {
        long rss = -1;
        long peak = -1;
        for (String line : Files.readAllLines(procFile("status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line) * 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = kilobytes(line) * 1024;
            }
        }
        return new Memory(rss, peak);
    }

    /** CPU seconds the running process used so far (user + system), from /proc. */
    public synchronized double cpuSeconds() throws IOException {
        String stat = Files.readString(procFile("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime, in clock ticks of 1/100 s (USER_HZ on Linux)
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0;
    }

    private Path procFile(String name) throws IOException {
        if (process == null) {
            throw new IOException(this.name + " was never started");
        }
        return Path.of("/proc", Long.toString(process.pid()), name);
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    public synchronized long peakRssBytes() {
        return peakRssBytes;
    }

    public synchronized List<String> unexpectedExits() {
        return List.copyOf(unexpectedExits);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (frozen) {
                thawQuietly(); // a frozen process cannot run its shutdown hooks
            }
        }
        try {
            stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller's interrupt stays visible
        }
    }

    private void thawQuietly() {
        try {
            thaw();
        } catch (IOException | InterruptedException | IllegalStateException e) {
            // stop() kills it anyway
        }
    }
}
