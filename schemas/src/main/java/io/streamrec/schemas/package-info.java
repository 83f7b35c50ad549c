/**
 * The contracts every streamrec module shares, on the wire and in code. The Avro records themselves
 * ({@code ClickEvent}, {@code Interaction}, {@code InteractionKey}, {@code ModelRelease},
 * {@code Recommendations}) are generated from {@code schemas/src/main/avro} into {@code io.streamrec.avro};
 * this package holds what goes with them, {@link io.streamrec.schemas.EventType}, the click types a
 * {@code ClickEvent} may carry.
 *
 * <p>Subpackages: {@code config} (how a service gathers its configuration), {@code model} (what a model
 * release must be to serve, and its signing), {@code serde} (Avro serdes in Confluent's wire format and the
 * registry client), {@code topics} (the topic catalog and its provisioning).
 *
 * <p>Every other module may use it; it depends on no other streamrec module (the build enforces this), so a
 * contract never drags a service's code along.
 */
package io.streamrec.schemas;
