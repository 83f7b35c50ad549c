/**
 * The trainer as a service: {@link io.streamrec.trainer.service.TrainerService} refits on an interval (and
 * sooner when enough new interactions arrived), each refit a {@code RefitRun}: read the models topic and an
 * interactions snapshot, train (warm from the last published model when it still serves), evaluate the new
 * model and the serving release on the same holdout, and publish a signed release only if the new one is at
 * least as good. Also its configuration ({@link io.streamrec.trainer.service.TrainerServiceConfig}), the
 * outcome of a refit ({@link io.streamrec.trainer.service.RefitOutcome}) and its HTML report, the probes and
 * metrics listener ({@link io.streamrec.trainer.service.TrainerHttp}) and the {@code once}, {@code serve} and
 * {@code republish} subcommands.
 *
 * <p>Invariants: the gate compares with exactly what serves (the release's own graph, scored through ONNX
 * Runtime), so a worse model is never published, and only this trainer's own signed releases set the next
 * version or the baseline. One refit runs at a time; {@code TrainerService.stop()} may come from any thread and
 * ends a refit at its next cancellation point. Each refit creates and closes its own Kafka clients; the service
 * closes its offsets probe when closed, and {@code TrainerHttp} is closed by whoever started it.
 *
 * <p>Used by the trainer's command line and by the demo, which runs the service in-process.
 */
package io.streamrec.trainer.service;
