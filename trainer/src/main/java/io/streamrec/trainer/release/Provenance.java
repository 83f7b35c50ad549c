package io.streamrec.trainer.release;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a model came from, as the release's {@code provenance} map records it. Immutable.
 *
 * @param dataSource   the training data: a file path, or a topic with the end offsets read, e.g.
 *                     {@code interactions@0:1200,1:980}
 * @param pairCount    (user, item) pairs trained on
 * @param trainingTime wall-clock training time
 * @param codeVersion  the trainer build ({@link CodeVersion#current()})
 * @param extra        anything else worth keeping (split, seed, host, ...); keys must not clash with the
 *                     standard ones
 */
public record Provenance(String dataSource, long pairCount, Duration trainingTime, String codeVersion,
                         Map<String, String> extra) {

    static final String DATA_SOURCE = "data.source";
    static final String DATA_PAIRS = "data.pairs";
    static final String TRAINING_SECONDS = "training.seconds";
    static final String CODE_VERSION = "code.version";

    /** Validates and copies. */
    public Provenance {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(trainingTime, "trainingTime");
        Objects.requireNonNull(codeVersion, "codeVersion");
        extra = Map.copyOf(extra);
        if (pairCount < 0 || trainingTime.isNegative()) {
            throw new IllegalArgumentException("pair count and training time must not be negative");
        }
        for (String key : new String[] {DATA_SOURCE, DATA_PAIRS, TRAINING_SECONDS, CODE_VERSION}) {
            if (extra.containsKey(key)) {
                throw new IllegalArgumentException("extra provenance must not redefine '" + key + "'");
            }
        }
    }

    /** Provenance of the running trainer build. */
    public static Provenance of(String dataSource, long pairCount, Duration trainingTime) {
        return new Provenance(dataSource, pairCount, trainingTime, CodeVersion.current(), Map.of());
    }

    /** This provenance with one more entry. */
    public Provenance with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new Provenance(dataSource, pairCount, trainingTime, codeVersion, more);
    }

    /** The release's provenance map. */
    Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>(extra);
        map.put(DATA_SOURCE, dataSource);
        map.put(DATA_PAIRS, Long.toString(pairCount));
        map.put(TRAINING_SECONDS, String.format(java.util.Locale.ROOT, "%.3f", trainingTime.toNanos() / 1e9));
        map.put(CODE_VERSION, codeVersion);
        return map;
    }
}
