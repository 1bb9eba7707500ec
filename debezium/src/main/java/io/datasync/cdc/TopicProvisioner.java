package io.datasync.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/** Creates the planned topics that are missing and checks the partition count of the others. */
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
                report.add("exists   " + topic.name() + " (" + partitions + " partitions)");
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
