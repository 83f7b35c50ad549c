/**
 * Every streamrec topic and its contract ({@link io.streamrec.schemas.topics.TopicCatalog} of
 * {@link io.streamrec.schemas.topics.TopicSpec}s): the one source of truth for the local stack, the tests,
 * {@code infra/} and {@code k8s/}. {@link io.streamrec.schemas.topics.TopicProvisioner} makes a cluster match
 * the catalog (creating, reconfiguring, never repartitioning), with the {@code Admin} client its caller owns;
 * {@link io.streamrec.schemas.topics.ProvisionTopicsCommand} is the one-shot command around it that compose and
 * the Kubernetes Job run.
 *
 * <p>Catalogs and specs are immutable. The services take their default topic names and settings from here
 * rather than spelling them out.
 */
package io.streamrec.schemas.topics;
