/**
 * {@code trainer bench}: trains model variants on a dataset under the NCF protocol (validation for early
 * stopping, the test split measured once at the end) and writes a Markdown table of their ranking quality
 * and training cost. {@link io.streamrec.trainer.bench.BenchRow} parses a row's text form
 * ({@code gmf:32}, {@code neumf:32:64-32-16-8}, ...), {@link io.streamrec.trainer.bench.BenchResult} is one
 * measured row.
 *
 * <p>The offline model benchmark of the project (the streams app's scoring benchmark and the demo's end-to-end
 * ones live in their own modules). Reached only through the trainer's command line
 * ({@code io.streamrec.trainer.cli}); it changes nothing outside its output file.
 */
package io.streamrec.trainer.bench;
