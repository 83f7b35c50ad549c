package io.streamrec.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes a cluster's topics match a {@link TopicCatalog}: creates the missing ones, sets drifted topic
 * configs back to the catalog's values, and reports what it cannot fix (a topic with fewer partitions than
 * the catalog asks for is reported, never silently repartitioned: that would move keys between partitions).
 * Idempotent. The caller owns the {@link Admin} client.
 */
public final class TopicProvisioner {

    private final Admin admin;
    private final Duration timeout;

    public TopicProvisioner(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** What one provisioning run did. Immutable. */
    public record Report(List<String> created, List<String> reconfigured, List<String> unchanged,
                         List<String> problems) {
        public Report {
            created = List.copyOf(created);
            reconfigured = List.copyOf(reconfigured);
            unchanged = List.copyOf(unchanged);
            problems = List.copyOf(problems);
        }

        /** True when every catalog topic exists as specified. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Provisions every topic of the catalog. */
    public Report provision(TopicCatalog catalog) {
        return provision(catalog.topics());
    }

    /** Provisions the given topics. */
    public Report provision(Collection<TopicSpec> specs) {
        List<String> created = new ArrayList<>();
        List<String> reconfigured = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<NewTopic> missing = specs.stream()
                .filter(spec -> !existing.contains(spec.name()))
                .map(TopicSpec::toNewTopic)
                .toList();
        if (!missing.isEmpty()) {
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        unchanged.add(entry.getKey()); // created concurrently by someone else
                    } else {
                        problems.add(entry.getKey() + ": create failed: " + e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted while creating topics", e);
                } catch (TimeoutException e) {
                    problems.add(entry.getKey() + ": create timed out after " + timeout);
                }
            }
        }

        List<TopicSpec> present = specs.stream().filter(spec -> existing.contains(spec.name())).toList();
        if (!present.isEmpty()) {
            Map<String, TopicDescription> descriptions = await(
                    admin.describeTopics(present.stream().map(TopicSpec::name).toList()).allTopicNames(),
                    "describe topics");
            List<ConfigResource> resources = present.stream()
                    .map(spec -> new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                    .toList();
            Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all(), "describe configs");

            Map<ConfigResource, Collection<AlterConfigOp>> alterations = new HashMap<>();
            for (TopicSpec spec : present) {
                int actualPartitions = descriptions.get(spec.name()).partitions().size();
                if (actualPartitions < spec.partitions()) {
                    problems.add(spec.name() + ": has " + actualPartitions + " partitions, the catalog asks for "
                            + spec.partitions() + " (increase it deliberately with kafka-topics --alter)");
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
                Config actual = configs.get(resource);
                List<AlterConfigOp> ops = new ArrayList<>();
                spec.configs().forEach((key, wanted) -> {
                    ConfigEntry entry = actual.get(key);
                    if (entry == null || !wanted.equals(entry.value())) {
                        ops.add(new AlterConfigOp(new ConfigEntry(key, wanted), AlterConfigOp.OpType.SET));
                    }
                });
                if (ops.isEmpty()) {
                    unchanged.add(spec.name());
                } else {
                    alterations.put(resource, ops);
                }
            }
            if (!alterations.isEmpty()) {
                var results = admin.incrementalAlterConfigs(alterations).values();
                for (var entry : results.entrySet()) {
                    String topic = entry.getKey().name();
                    try {
                        entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        reconfigured.add(topic);
                    } catch (ExecutionException e) {
                        problems.add(topic + ": config update failed: " + e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new KafkaException("interrupted while updating topic configs", e);
                    } catch (TimeoutException e) {
                        problems.add(topic + ": config update timed out after " + timeout);
                    }
                }
            }
        }
        return new Report(created, reconfigured, unchanged, problems);
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted during " + what, e);
        } catch (ExecutionException e) {
            throw new KafkaException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException(what + " timed out after " + timeout + "; is the broker reachable?", e);
        }
    }
}
