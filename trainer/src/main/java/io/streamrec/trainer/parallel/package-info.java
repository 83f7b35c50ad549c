/**
 * {@link io.streamrec.trainer.parallel.WorkerPool}, the fixed set of threads that training, evaluation and the
 * benchmark spread numbered tasks over. Invariant: which thread runs a task never affects the result, so a
 * seed and a thread count reproduce a model bit for bit. The pool's creator closes it. Internal to the trainer.
 */
package io.streamrec.trainer.parallel;
