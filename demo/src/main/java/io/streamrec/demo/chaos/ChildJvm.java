package io.streamrec.demo.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One component of the chaos cluster in a JVM of its own: started from its jar, killed with SIGKILL, frozen
 * with SIGSTOP (a process that keeps its sockets open and accepts connections but never answers), stopped with
 * SIGTERM, and started again with the same command. Output goes to a log file, appended across restarts.
 *
 * <p>Tracks whether it is meant to be running, so an exit nobody asked for is reported, and the peak resident
 * set size over all its incarnations. Thread-safe.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process; // guarded by 'this'
    private boolean meantToRun; // guarded by 'this'
    private boolean frozen; // guarded by 'this'
    private long peakRssBytes; // guarded by 'this'
    private final List<String> unexpectedExits = new ArrayList<>(); // guarded by 'this'

    private ChildJvm(String name, List<String> command, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
    }

    /**
     * A JVM running {@code java <jvmOptions> -jar <jar> <arguments>} with this JVM's {@code java}.
     */
    static ChildJvm of(String name, Path jar, List<String> jvmOptions, List<String> arguments, Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn -B -Dmaven.test.skip=true -pl demo"
                    + " -am package");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        return new ChildJvm(name, command, log);
    }

    String name() {
        return name;
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        meantToRun = true;
    }

    /** SIGKILL: no shutdown hook, no leaving the group, no transaction abort. Waits until it is gone. */
    synchronized void kill() throws InterruptedException {
        meantToRun = false;
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and a wait for the shutdown hooks, then SIGKILL if it takes longer than {@code grace}. */
    synchronized void stop(Duration grace) throws InterruptedException {
        meantToRun = false;
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGSTOP: the process stays, its listening sockets keep accepting connections, nothing answers. */
    synchronized void freeze() throws IOException, InterruptedException {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT after {@link #freeze()}. */
    synchronized void thaw() throws IOException, InterruptedException {
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

    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Reads the resident set size's high-water mark and notes an exit nobody asked for. Called about once a
     * second by the cluster's sampler.
     */
    synchronized void sample() {
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
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    peakRssBytes = Math.max(peakRssBytes, kilobytes * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process exited between the check and the read; the next sample notes it
        }
    }

    synchronized long peakRssBytes() {
        return peakRssBytes;
    }

    synchronized List<String> unexpectedExits() {
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
