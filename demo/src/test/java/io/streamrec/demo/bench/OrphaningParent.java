package io.streamrec.demo.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The parent JVM in {@link ChildJvmOrphanTest}: starts {@link SleepingChild} from the jar in {@code args[0]}
 * through {@link ChildJvm}, logging to {@code args[1]}, prints the child's pid and waits to be killed.
 */
public final class OrphaningParent {

    private OrphaningParent() {
    }

    public static void main(String[] args) throws Exception {
        ChildJvm child = ChildJvm.of("sleeping-child", Path.of(args[0]), List.of("-Xmx32m"), List.of(),
                Path.of(args[1]));
        child.start();
        System.out.println(child.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
