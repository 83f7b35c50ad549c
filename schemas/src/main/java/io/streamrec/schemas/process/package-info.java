/**
 * How a streamrec process stops. {@link io.streamrec.schemas.process.GracefulStop} turns SIGTERM and SIGINT into
 * a request to the command's own thread, which closes Kafka Streams, model sessions and clients before the JVM
 * begins its shutdown; the JVM's shutdown hooks (ONNX Runtime's among them, which frees its native environment)
 * run only after that.
 *
 * <p>Invariant: no ONNX Runtime session is built or run once the JVM's shutdown has begun, for a stop that came
 * by signal. Used by the streams app's and the trainer's commands and by the demo.
 */
package io.streamrec.schemas.process;
