/**
 * {@code streamrec demo}: {@link io.streamrec.demo.run.DemoRun} runs the whole pipeline on an embedded stack
 * (broker and registry, the trainer's first model and a refit part way, the streams app, replayed clicks with
 * a live status line) and {@link io.streamrec.demo.run.DemoReport} writes its HTML report;
 * {@link io.streamrec.demo.run.DemoSettings} says how a run goes, {@link io.streamrec.demo.run.DemoDatasets}
 * finds its dataset.
 *
 * <p>Invariants: a run owns everything it starts and stops it in order, also when stopped early (Ctrl-C), and
 * still writes its report. One run per {@code DemoRun}, on the caller's thread. Used by the demo command and the
 * refit benchmark (datasets).
 */
package io.streamrec.demo.run;
