package io.streamrec.app.topology;

import io.streamrec.avro.ClickEvent;
import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.avro.ModelRelease;
import io.streamrec.avro.Recommendations;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.serde.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serdes of the topics the streams app touches, all over one schema registry client so they share its
 * caches. Immutable and thread-safe.
 *
 * @param clicks          ClickEvent values of the clicks topic
 * @param recommendations Recommendations values
 * @param interactionKeys InteractionKey keys of the interactions topic
 * @param interactions    Interaction values
 * @param modelReleases   ModelRelease values of the models topic
 */
public record TopicSerdes(Serde<ClickEvent> clicks, Serde<Recommendations> recommendations,
                          Serde<InteractionKey> interactionKeys, Serde<Interaction> interactions,
                          Serde<ModelRelease> modelReleases) {

    /** Serdes over the client, configured with the serde keys in {@code config}. */
    public static TopicSerdes create(SchemaRegistryClient client, Map<String, ?> config) {
        return new TopicSerdes(
                AvroSerde.specific(ClickEvent.class, client, config, false),
                AvroSerde.specific(Recommendations.class, client, config, false),
                AvroSerde.specific(InteractionKey.class, client, config, true),
                AvroSerde.specific(Interaction.class, client, config, false),
                AvroSerde.specific(ModelRelease.class, client, config, false));
    }
}
