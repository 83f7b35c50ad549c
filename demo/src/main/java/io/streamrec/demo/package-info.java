/**
 * {@code ./streamrec}, the project's top-level command line ({@link io.streamrec.demo.StreamrecCli}, the demo
 * jar's main class) and its commands: {@code demo} (the whole pipeline on an embedded stack), {@code bench},
 * {@code bench-refit} and {@code bench-retrieval} (the benchmarks), {@code chaos} (the fault-injection suite),
 * {@code generate} (synthetic clicks to a running stack, for compose and clusters), and the client commands
 * {@code produce}, {@code consume} and {@code backfill}. The commands here only parse options; the work is in the
 * subpackages: {@code run} (the demo), {@code bench} (the benchmarks), {@code chaos} (the suite), with
 * {@code data} and {@code load} shared by them; {@code client} holds the client commands whole.
 *
 * <p>The demo module sits on top of all the others and nothing depends on it.
 */
package io.streamrec.demo;
