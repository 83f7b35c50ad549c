package io.streamrec.trainer.service;

import io.streamrec.trainer.data.HeldOut;

/**
 * The held-out users the refit gate compares the candidate and the serving release on, and whether they are the
 * fresh subset (users whose held-out interaction came after the serving release's training data). Immutable.
 *
 * @param heldOut the gate's holdout
 * @param fresh   whether it is the fresh subset rather than the whole holdout
 */
record GateHoldout(HeldOut heldOut, boolean fresh) {

    /** Fewest fresh held-out users for the gate to compare on them alone. */
    static final int MIN_FRESH_USERS = 50;

    /** The whole holdout, when there is no fresh subset to prefer. */
    static GateHoldout whole(HeldOut heldOut) {
        return new GateHoldout(heldOut, false);
    }

    /**
     * The fresh subset when it has at least {@value #MIN_FRESH_USERS} users, else the whole holdout: on fewer users
     * the comparison would be too noisy to keep or replace a model by.
     */
    static GateHoldout choose(HeldOut whole, HeldOut fresh) {
        return fresh.usersWithTargets() >= MIN_FRESH_USERS ? new GateHoldout(fresh, true) : whole(whole);
    }

    /** How many held-out users the gate compares on. */
    int users() {
        return heldOut.usersWithTargets();
    }
}
