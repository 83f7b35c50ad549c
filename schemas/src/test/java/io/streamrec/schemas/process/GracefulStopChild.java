package io.streamrec.schemas.process;

import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link GracefulStopTest}: a command that, asked to stop, takes a while to close what it
 * holds, beside a shutdown hook standing for ONNX Runtime's (which frees native memory the closing still uses).
 * Prints one line per step, so the test reads their order from its output.
 *
 * <p>Argument: {@code signal} waits for a signal; {@code exit} calls {@code System.exit(7)} from another thread
 * once ready, as code that bypasses the signals would.
 */
public final class GracefulStopChild {

    static final long CLOSING_MILLIS = 1_000;

    private GracefulStopChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("native-resources-freed")));
        GracefulStop.run("child", stop::countDown, () -> {
            System.out.println("ready");
            if (args[0].equals("exit")) {
                new Thread(() -> System.exit(7), "exit-elsewhere").start();
            }
            stop.await();
            System.out.println("stop-requested");
            Thread.sleep(CLOSING_MILLIS);
            System.out.println("closed");
            return null;
        });
    }
}
