/**
 * The end-to-end benchmarks behind {@code streamrec bench} and {@code streamrec bench-refit}:
 * {@link io.streamrec.demo.bench.EndToEndBench} drives one or more streams-app instances, each in its own JVM
 * ({@code StreamsAppProcess}), through the local broker at fixed click rates and around a hot swap
 * ({@link io.streamrec.demo.bench.BenchTable} renders its report), and
 * {@link io.streamrec.demo.bench.RefitBench} times a trainer refit from the interactions topic, phase by phase.
 * {@link io.streamrec.demo.bench.SyntheticReleases} (signed releases trained on a synthetic corpus) and
 * {@link io.streamrec.demo.bench.CyclingClickSource} (an endless click source) are shared with the chaos suite,
 * as is {@link io.streamrec.demo.bench.ChildJvm}, a program in a JVM of its own that exits with the JVM that
 * started it ({@link io.streamrec.demo.bench.ExitWithParent}), even one killed with SIGKILL.
 *
 * <p>Where the project's benchmarks are: each module keeps its benchmark in a package named {@code bench}. This
 * one measures the running system; {@code io.streamrec.trainer.bench} ({@code trainer bench},
 * {@code trainer/bench.sh}) measures model quality and training cost offline; the JMH scoring benchmark of the
 * streams app's serving path is in the streams app's tests, {@code io.streamrec.app.bench}
 * ({@code streams-app/bench/scoring.sh}). The chaos suite, a robustness test rather than a benchmark, is
 * {@code io.streamrec.demo.chaos}.
 *
 * <p>Benchmarks own every process, client and directory they start and close them when done; a
 * run is driven from one thread.
 */
package io.streamrec.demo.bench;
