/**
 * The trainer's command line, {@link io.streamrec.trainer.cli.TrainerCli}: the jar's main class, which only
 * gathers the subcommands of the other packages ({@code bench}, {@code keygen}, {@code once}, {@code serve},
 * {@code republish}). The demo's deployment tests run it to check that the deployment files' commands parse.
 */
package io.streamrec.trainer.cli;
