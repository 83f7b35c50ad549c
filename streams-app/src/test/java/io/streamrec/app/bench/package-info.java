/**
 * The streams app's scoring benchmark (JMH): full-catalogue scoring through the real serving path
 * ({@link io.streamrec.app.bench.ScoringBenchmark}, printed as a table by {@link io.streamrec.app.bench.ScoringBench},
 * profiled per ONNX node by {@link io.streamrec.app.bench.ScoringProfile}), run with
 * {@code streams-app/bench/scoring.sh}, never by {@code mvn test}. The models are exported and signed by the
 * trainer (a test-scope dependency), so the app loads exactly what production would;
 * {@link io.streamrec.app.bench.ServingPathParityTest}, a unit test, guards that they score as the trainer does.
 *
 * <p>The project's other benchmarks: {@code io.streamrec.trainer.bench} (offline model quality and training
 * cost) and {@code io.streamrec.demo.bench} (the running system, end to end).
 */
package io.streamrec.app.bench;
