package io.streamrec.deploy;

import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalStackExtension.class)
class MonitoringMetricsIT {

    @Test
    void dump(LocalStack stack, @TempDir Path scratch) throws Exception {
        LiveScrapes.Scrapes scrapes = new LiveScrapes().scrape(stack, scratch);
        Path out = Project.file("demo/target/monitoring-scrapes");
        Files.createDirectories(out);
        Files.writeString(out.resolve("streams-app.prom"), scrapes.streamsApp());
        Files.writeString(out.resolve("trainer.prom"), scrapes.trainer());
    }
}
