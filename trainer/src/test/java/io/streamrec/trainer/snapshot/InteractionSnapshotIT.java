package io.streamrec.trainer.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrec.avro.Interaction;
import io.streamrec.avro.InteractionKey;
import io.streamrec.devstack.LocalStack;
import io.streamrec.devstack.LocalStackExtension;
import io.streamrec.schemas.serde.AvroSerde;
import io.streamrec.schemas.serde.RestSchemaRegistryClient;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.trainer.data.Corpus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalStackExtension.class)
class InteractionSnapshotIT {

    @Test
    void theSnapshotKeepsTheLatestLivePairsInTimeOrderAndForgetsTombstones(LocalStack stack) throws Exception {
        String topic = "interactions-snapshot-" + UUID.randomUUID();
        try (Admin admin = stack.createAdmin()) {
            admin.createTopics(List.of(TopicCatalog.INTERACTIONS.withName(topic).withReplicationFactor((short) 1)
                    .withPartitions(2).toNewTopic())).all().get();
        }
        Map<String, Object> config = new HashMap<>(stack.clientProperties());
        AvroSerde<InteractionKey> keys = AvroSerde.specific(InteractionKey.class);
        keys.configure(config, true);
        AvroSerde<Interaction> values = AvroSerde.specific(Interaction.class);
        values.configure(config, false);

        try (KafkaProducer<InteractionKey, Interaction> producer =
                     new KafkaProducer<>(config, keys.serializer(), values.serializer())) {
            send(producer, topic, "alice", "m1", 100);
            send(producer, topic, "alice", "m2", 200);
            send(producer, topic, "alice", "m1", 300); // alice saw m1 again: it is now her latest
            send(producer, topic, "bob", "m3", 150);
            send(producer, topic, "carol", "m2", 120);
            producer.send(new ProducerRecord<>(topic, new InteractionKey("carol", "m2"), null)); // forget carol
            send(producer, topic, "bob", "m2", 160);
            producer.send(new ProducerRecord<>(topic, new InteractionKey("bob", "m3"), null));
            producer.flush();
        }
        Map<String, Object> transactional = new HashMap<>(config);
        transactional.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "snapshot-it-" + UUID.randomUUID());
        try (KafkaProducer<InteractionKey, Interaction> producer =
                     new KafkaProducer<>(transactional, keys.serializer(), values.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            send(producer, topic, "mallory", "m9", 500);
            producer.abortTransaction();
        }
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, "garbage".getBytes(), "garbage".getBytes())).get();
        }

        InteractionSnapshot snapshot = new InteractionSnapshotReader(config,
                RestSchemaRegistryClient.forUrl(stack.schemaRegistryUrl()), topic, Duration.ofSeconds(30))
                .read(() -> false);

        Corpus corpus = snapshot.corpus();
        assertThat(corpus.users().ids()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(corpus.items().ids()).containsExactlyInAnyOrder("m1", "m2");
        int alice = corpus.users().indexOf("alice");
        assertThat(ids(corpus, corpus.interactions().itemsOf(alice))).containsExactly("m2", "m1");
        assertThat(ids(corpus, corpus.interactions().itemsOf(corpus.users().indexOf("bob")))).containsExactly("m2");
        assertThat(snapshot.pairs()).isEqualTo(3);
        assertThat(snapshot.tombstones()).isEqualTo(2);
        assertThat(snapshot.unreadable()).isEqualTo(1);
        assertThat(snapshot.offsetsDescription()).startsWith(topic + "@0:").contains(",1:");
    }

    private static void send(KafkaProducer<InteractionKey, Interaction> producer, String topic, String user,
                             String item, long time) {
        Instant at = Instant.ofEpochMilli(1_764_000_000_000L + time);
        producer.send(new ProducerRecord<>(topic, new InteractionKey(user, item),
                new Interaction(user, item, 1L, at, at, "click")));
    }

    private static List<String> ids(Corpus corpus, int[] items) {
        return java.util.Arrays.stream(items).mapToObj(corpus.items()::id).toList();
    }
}
