package io.streamrec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.streamrec.schemas.topics.TopicCatalog;
import io.streamrec.schemas.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/overlays/strimzi} is what {@link StrimziResources} generates from the topic catalog and the services'
 * configuration, so a topic added to the catalog or a changed partition count fails here until the YAML follows.
 * Regenerate with {@code mvn -o -q -B -pl demo -am test -Dtest=StrimziResourcesTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dstrimzi.update=true}. Rendered by {@code kubectl kustomize}, every
 * catalog topic is a KafkaTopic of its cluster with the catalog's partitions, replicas and configs.
 */
class StrimziResourcesTest {

    private static final String UPDATE_PROPERTY = "strimzi.update";
    private static final Path OVERLAY = Project.file("k8s/overlays/strimzi");

    @Test
    void theCommittedTopicsAndUsersAreWhatTheCatalogAndTheConfigurationGenerate() throws Exception {
        Map<String, String> expected = Map.of("topics.yaml", StrimziResources.topics(), "users.yaml",
                StrimziResources.users());
        for (Map.Entry<String, String> file : expected.entrySet()) {
            Path path = OVERLAY.resolve(file.getKey());
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            assertThat(Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "")
                    .as(path + " (regenerate with -D" + UPDATE_PROPERTY + "=true)").isEqualTo(file.getValue());
        }
    }

    @Test
    void theRenderedOverlayHasAKafkaTopicOfTheClusterForEveryCatalogTopic() {
        Manifests.kubectlUnavailable().ifPresent(reason -> Assumptions.abort("kubectl is needed: " + reason));
        List<HasMetadata> objects = Manifests.parse(Manifests.render(OVERLAY));
        Map<String, JsonNode> topics = new HashMap<>();
        String cluster = null;
        for (HasMetadata object : objects) {
            assertThat(object).isInstanceOf(GenericKubernetesResource.class);
            String label = object.getMetadata().getLabels().get("strimzi.io/cluster");
            assertThat(label).as(object.getKind() + "/" + object.getMetadata().getName() + " strimzi.io/cluster")
                    .isNotBlank();
            cluster = cluster == null ? label : cluster;
            assertThat(label).isEqualTo(cluster);
            if (object.getKind().equals("KafkaTopic")) {
                JsonNode spec = Project.YAML.valueToTree(((GenericKubernetesResource) object).getAdditionalProperties()
                        .get("spec"));
                String name = spec.path("topicName").asText(object.getMetadata().getName());
                topics.put(name, spec);
            }
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(TopicCatalog.standard().topics().stream()
                .map(TopicSpec::name).toList());
        for (TopicSpec topic : TopicCatalog.standard().topics()) {
            JsonNode spec = topics.get(topic.name());
            assertThat(spec.path("partitions").asInt()).as(topic.name()).isEqualTo(topic.partitions());
            assertThat(spec.path("replicas").asInt()).as(topic.name()).isEqualTo(topic.replicationFactor());
            Map<String, String> config = new HashMap<>();
            spec.path("config").properties().forEach(entry -> config.put(entry.getKey(), entry.getValue().asText()));
            assertThat(config).as(topic.name()).isEqualTo(topic.configs());
        }
        assertThat(objects).filteredOn(object -> object.getKind().equals("KafkaUser")).extracting(
                object -> object.getMetadata().getName()).containsExactlyInAnyOrder("streamrec-streams-app",
                "streamrec-trainer");
        assertThat(StrimziResources.resourceName("_schemas")).isEqualTo("schemas");
        assertThat(StrimziResources.resourceName("dead-letters")).isEqualTo("dead-letters");
    }
}
