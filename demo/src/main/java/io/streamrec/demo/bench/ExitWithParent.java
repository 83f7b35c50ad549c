package io.streamrec.demo.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * The main class of a child JVM that must not outlive the JVM that started it: it runs another main class and
 * exits when its parent process is gone, however the parent went (a SIGKILL from the OOM killer runs no
 * shutdown hook, so the parent cannot stop its children itself).
 *
 * <p>Arguments: the parent's pid, the main class to run, then that class's arguments. The exit is the one a
 * SIGTERM starts: the JVM raises it on itself, so a program that handles it stops the way it does in production
 * (the streams app closes Kafka Streams, leaving its group and aborting its transaction, and its model sessions,
 * before the JVM's shutdown begins). If that takes longer than {@link #SHUTDOWN_GRACE_MILLIS} the JVM halts.
 *
 * <p>{@link ChildJvm} puts this class alone on the child's class path, beside the program's jar, so it must
 * use nothing but the JDK and compile to a single class file (no nested classes).
 */
public final class ExitWithParent {

    /** The exit status of a child whose parent is gone, where SIGTERM cannot be raised (as for SIGTERM: 128 + 15). */
    public static final int ORPHANED_EXIT_STATUS = 143;
    /** The streams app's graceful close waits for a broker that may have died with the parent: bounded here. */
    static final long SHUTDOWN_GRACE_MILLIS = 30_000;
    private static final long POLL_MILLIS = 250;

    private ExitWithParent() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: ExitWithParent PARENT_PID MAIN_CLASS [ARGUMENT...]");
            System.exit(2);
        }
        long parentPid = Long.parseLong(args[0]);
        Thread watcher = new Thread(() -> watch(parentPid), "exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Polls this process's parent pid rather than waiting on the parent's {@code onExit()}: the JDK polls a
     * process that is not its child too, backing off to every 5 s, and counts a killed parent its own parent
     * has not reaped yet (a zombie) as alive; the kernel gives an orphan a new parent at once.
     */
    private static void watch(long parentPid) {
        while (currentParent() == parentPid) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
        System.err.println("exit-with-parent: process " + parentPid + " that started this JVM is gone; exiting");
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                // halting now is as good
            }
            Runtime.getRuntime().halt(ORPHANED_EXIT_STATUS);
        }, "exit-with-parent-halt");
        halt.setDaemon(true);
        halt.start();
        raiseSigterm();
    }

    /** {@code sun.misc.Signal.raise}, by reflection (no warning about an internal API); exits where it is missing. */
    private static void raiseSigterm() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            signal.getMethod("raise", signal).invoke(null, signal.getConstructor(String.class).newInstance("TERM"));
        } catch (ReflectiveOperationException | LinkageError e) {
            System.exit(ORPHANED_EXIT_STATUS);
        }
    }

    private static long currentParent() {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        return parent.map(ProcessHandle::pid).orElse(-1L);
    }
}
