package io.streamrec.app.http;

/**
 * One routing attempt's outcome: the answer, or why there was none (exactly one of the two is set). Immutable.
 *
 * @param answer the answer, or null
 * @param miss   why there was none, or null
 */
record Attempt(ApiResponse answer, Miss miss) {

    /**
     * Why an attempt found no answer.
     *
     * @param reason    short and from a fixed set: a meter tag and the 503's machine-readable mark
     * @param detail    for people: logs and the 503's message
     * @param retriable whether another attempt may succeed (the client's state may not come back)
     */
    record Miss(String reason, String detail, boolean retriable) { }

    static Attempt answered(ApiResponse answer) {
        return new Attempt(answer, null);
    }

    static Attempt missed(String reason, String detail, boolean retriable) {
        return new Attempt(null, new Miss(reason, detail, retriable));
    }

    boolean isAnswered() {
        return answer != null;
    }
}
