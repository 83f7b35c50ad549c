package io.streamrec.app.http;

import java.util.Objects;

/**
 * Where a per-user answer came from and how far behind the active copy it may be. Immutable.
 *
 * @param servedFrom the copy that answered
 * @param lagRecords its changelog offset lag in records when it answered (0 for the active copy in RUNNING)
 */
public record Freshness(ServedFrom servedFrom, long lagRecords) {

    /** Response header: {@code active}, {@code standby} or {@code restoring}. */
    public static final String SERVED_FROM = "X-Streamrec-Served-From";
    /** Response header: {@link #lagRecords}. */
    public static final String LAG_RECORDS = "X-Streamrec-Lag-Records";

    /** The active copy's answer. */
    public static final Freshness ACTIVE = new Freshness(ServedFrom.ACTIVE, 0);

    public Freshness {
        Objects.requireNonNull(servedFrom, "servedFrom");
        if (lagRecords < 0) {
            throw new IllegalArgumentException("lagRecords must be >= 0");
        }
    }

    /** Whether the answer may trail the active copy: it must be read with stale stores enabled. */
    public boolean stale() {
        return servedFrom != ServedFrom.ACTIVE;
    }

    /** {@code answer} with both headers. */
    ApiResponse addTo(ApiResponse answer) {
        return answer.withHeader(SERVED_FROM, servedFrom.tag()).withHeader(LAG_RECORDS, Long.toString(lagRecords));
    }
}
