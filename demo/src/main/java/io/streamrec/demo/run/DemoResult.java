package io.streamrec.demo.run;

import io.streamrec.demo.load.RecommendationWatcher;
import io.streamrec.trainer.service.RefitOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a demo run showed. Immutable.
 *
 * @param clicksSent     clicks acknowledged by the broker
 * @param clicksFailed   clicks the broker did not take
 * @param watched        what the downstream consumer saw (lists, latencies, versions, swaps)
 * @param refits         every refit's outcome, first model included
 * @param servingVersion the version serving at the end
 * @param report         the HTML report
 * @param elapsed        wall time of the whole run
 */
public record DemoResult(long clicksSent, long clicksFailed, RecommendationWatcher.Snapshot watched,
                         List<RefitOutcome> refits, long servingVersion, Path report, Duration elapsed) {

    public DemoResult {
        refits = List.copyOf(refits);
    }
}
