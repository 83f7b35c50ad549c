package io.streamrec.trainer.service;

import io.streamrec.trainer.select.BaselineCandidate;
import io.streamrec.trainer.select.BaselineSetting;
import io.streamrec.trainer.select.Fitted;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baselines' settings chosen by the last tuning, so the refits in between fit each baseline once instead of
 * over its whole grid (EASE's grid alone costs minutes on MovieLens-1M); every {@code retuneEvery}-th refit tunes
 * again, so the settings follow the data. In memory: a restarted service tunes at its first refit.
 *
 * <p>Thread-safe: one map, each entry replaced whole.
 */
final class BaselinePins {

    /** A chosen setting and how many refits have used it since it was tuned. */
    private record Pin(BaselineSetting setting, int uses) { }

    private final int retuneEvery;
    private final Map<String, Pin> pins = new ConcurrentHashMap<>();

    /** @param retuneEvery tune every this many refits (1 = every refit) */
    BaselinePins(int retuneEvery) {
        if (retuneEvery < 1) {
            throw new IllegalArgumentException("retune interval must be at least 1");
        }
        this.retuneEvery = retuneEvery;
    }

    /** The baseline {@code name} for the next refit: pinned to its last tuned settings, or tuned when due. */
    BaselineCandidate candidate(String name, int historyLength) {
        Pin pin = pins.get(name);
        return pin == null || pin.uses() + 1 >= retuneEvery ? BaselineCandidate.of(name, historyLength)
                : BaselineCandidate.pinned(pin.setting(), historyLength);
    }

    /**
     * Records what a refit's baselines used, {@code fitted[i]} being what {@code used[i]} gave: a tuning pins its
     * choice afresh, a pinned fit counts one more use.
     */
    void update(List<BaselineCandidate> used, List<Fitted> fitted) {
        for (int i = 0; i < used.size(); i++) {
            BaselineCandidate candidate = used.get(i);
            BaselineSetting setting = fitted.get(i).setting().orElseThrow();
            Pin previous = pins.get(candidate.name());
            pins.put(candidate.name(), candidate.pinned().isPresent() && previous != null
                    ? new Pin(setting, previous.uses() + 1) : new Pin(setting, 0));
        }
    }
}
