package io.streamrec.demo.bench;

/** A program that says it runs, then sleeps until killed: the child in {@link ChildJvmOrphanTest}. */
public final class SleepingChild {

    static final String STARTED = "sleeping-child started";

    private SleepingChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println(STARTED);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
