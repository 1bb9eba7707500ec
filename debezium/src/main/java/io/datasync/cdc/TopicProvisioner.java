package io.datasync.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Brings the topics in line with the plan: creates the missing ones, sets the planned
 * configuration on existing ones, and refuses an existing topic whose partition count differs
 * (keys would move to other partitions, breaking per-key order).
 */
public final class TopicProvisioner {
    private final Admin admin;

    public TopicProvisioner(Admin admin) {
        this.admin = admin;
    }

    /** One line per topic saying what was done; throws if an existing topic contradicts the plan. */
    public List<String> ensure(TopicPlan plan) throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = new ArrayList<>();
        List<String> report = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (TopicPlan.Topic topic : plan.topics()) {
            if (existing.contains(topic.name())) {
                TopicDescription description = admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name());
                int partitions = description.partitions().size();
                partitionConflict(topic, partitions).ifPresent(conflicts::add);
                Map<String, String> changed = alignConfig(topic);
                report.add((changed.isEmpty() ? "exists   " : "updated  ") + topic.name() + " (" + partitions + " partitions"
                        + (changed.isEmpty() ? "" : ", set " + changed) + ")");
            } else {
                missing.add(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty()).configs(topic.config()));
                report.add("created  " + topic.name() + " (" + topic.partitions() + " partitions, " + describe(topic.config()) + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new IllegalStateException(String.join("; ", conflicts));
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get();
        }
        return report;
    }

    /** Sets the planned settings that differ on the broker; returns what was changed. */
    private Map<String, String> alignConfig(TopicPlan.Topic topic) throws ExecutionException, InterruptedException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        Config actual = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        Map<String, String> changed = new TreeMap<>();
        for (Map.Entry<String, String> planned : topic.config().entrySet()) {
            ConfigEntry entry = actual.get(planned.getKey());
            if (entry == null || !planned.getValue().equals(entry.value())) {
                changed.put(planned.getKey(), planned.getValue());
            }
        }
        if (!changed.isEmpty()) {
            List<AlterConfigOp> ops = changed.entrySet().stream()
                    .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                    .toList();
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
        }
        return changed;
    }

    static Optional<String> partitionConflict(TopicPlan.Topic topic, int actualPartitions) {
        return actualPartitions == topic.partitions()
                ? Optional.empty()
                : Optional.of("topic " + topic.name() + " has " + actualPartitions + " partitions, the plan says " + topic.partitions()
                        + " (keys would land on other partitions; recreate it)");
    }

    private static String describe(Map<String, String> config) {
        return config.isEmpty() ? "broker defaults" : config.toString();
    }
}
