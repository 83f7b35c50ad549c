/**
 * The trainer's models-topic clients: {@link io.streamrec.trainer.kafka.ModelReleasePublisher} writes a
 * release, {@link io.streamrec.trainer.kafka.ModelReleaseReader} reads the topic into a
 * {@link io.streamrec.trainer.kafka.ModelsSnapshot} (per model name, the latest verified release and the
 * highest verified version), and {@link io.streamrec.trainer.kafka.TopicReads} reads a whole topic as a
 * snapshot, the way the trainer reads the interactions topic too. {@link io.streamrec.trainer.kafka.LargeMessages}
 * sizes the clients for release records of up to 64 MiB.
 *
 * <p>Invariants: reads stop at the end offsets taken when they start, use no consumer group and commit
 * nothing; only releases this trainer's keys signed count towards numbering, and a tombstone restarts a name's
 * numbering, as in the streams app's model registry. A registry outage fails a read rather than skipping
 * releases, which could take the numbering backwards. Each read creates and closes its own consumer; the
 * publisher is thread-safe and owned (closed) by its creator.
 *
 * <p>Used by the refit service and the interactions snapshot reader, and by the demo to publish and read
 * releases.
 */
package io.streamrec.trainer.kafka;
