package io.streamrec.demo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A program that says it runs, then sleeps until killed: the child in {@link ChildJvmOrphanTest} and
 * {@link ChildJvmStopTest}. With the argument {@value #CRASH_ON_STOP} it exits as a crashed JVM does (134) once
 * asked to stop.
 */
public final class SleepingChild {

    static final String STARTED = "sleeping-child started";
    static final String CRASH_ON_STOP = "crash-on-stop";

    private SleepingChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals(CRASH_ON_STOP)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(134)));
        }
        System.out.println(STARTED);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** A jar holding only this class, named as its main class, as a product jar names its own. */
    static Path jar(Path directory) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SleepingChild.class.getName());
        String entry = SleepingChild.class.getName().replace('.', '/') + ".class";
        Path jar = directory.resolve("sleeping-child.jar");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream in = SleepingChild.class.getResourceAsStream(SleepingChild.class.getSimpleName() + ".class")) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
