/**
 * {@code streamrec chaos}, the fault-injection suite ({@link io.streamrec.demo.chaos.ChaosSuite}): each scenario
 * starts a fresh cluster of real processes on 127.0.0.1 (broker, schema registry, streams-app instances, the
 * trainer, each in its own JVM), puts it under a steady, verifiable click load, breaks something (kill -9,
 * broker or registry outages, bad records, forged releases, hostile HTTP clients) and reports what a downstream
 * {@code read_committed} consumer saw: lost, duplicated and dead-lettered clicks, latency recovery, liveness
 * failures and memory.
 *
 * <p>Invariants: every click is identifiable in the list it triggers (its event time), so the verifier needs no
 * lookup; latency counts from each click's scheduled send time, so a stalled producer cannot hide a delay; the
 * cluster owns its child processes and stops them all on close. Internal to the demo module; the short
 * scenario runs in {@code mvn verify} as {@code ShortChaosIT}.
 */
package io.streamrec.demo.chaos;
