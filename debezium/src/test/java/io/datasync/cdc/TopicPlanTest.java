package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicPlanTest {
    @TempDir
    Path dir;

    @Test
    void theShippedPlanKeysEachTableTopicOnThreePartitionsWithTimeRetention() throws IOException {
        TopicPlan plan = TopicPlan.load(ProjectRoot.get().resolve("debezium/topics.json"));

        assertThat(plan.topics()).extracting(TopicPlan.Topic::name).containsExactly(
                "dbserver.public.videos", "dbserver.public.users", "dbserver.public.comments",
                "dbserver.public.debezium_heartbeat", "__debezium-heartbeat.dbserver", "dbserver.public.debezium_signal",
                "dbserver.signals", "dbserver.notifications", "dbserver.dlq");
        assertThat(plan.topics().subList(0, 3)).allSatisfy(topic -> {
            assertThat(topic.partitions()).isGreaterThanOrEqualTo(3);
            // Truncate events have no key: a compacted topic would reject them and kill the task.
            assertThat(topic.config()).containsEntry("cleanup.policy", "delete").containsKey("retention.ms");
        });
        // Debezium's Kafka signal channel reads one partition: signals on another would never be seen.
        assertThat(plan.topics()).filteredOn(topic -> topic.name().equals("dbserver.signals")).extracting(TopicPlan.Topic::partitions).containsExactly(1);
    }

    @Test
    void unknownKeysAreRejectedWithTheirName() throws IOException {
        Path file = Files.writeString(dir.resolve("topics.json"), "{\"topics\": [{\"name\": \"t\", \"partitions\": 3, \"replicas\": 2}]}");

        assertThatThrownBy(() -> TopicPlan.load(file)).isInstanceOf(IOException.class).hasMessageContaining("replicas");
    }

    @Test
    void aTopicNeedsANameAndAtLeastOnePartition() {
        assertThatThrownBy(() -> new TopicPlan.Topic(" ", 3, Map.of())).hasMessageContaining("no name");
        assertThatThrownBy(() -> new TopicPlan.Topic("t", 0, Map.of())).hasMessageContaining("at least 1");
    }

    @Test
    void anExistingTopicWithOtherPartitionsIsAConflict() {
        TopicPlan.Topic topic = new TopicPlan.Topic("dbserver.public.videos", 3, Map.of());

        assertThat(TopicProvisioner.partitionConflict(topic, 3)).isEmpty();
        assertThat(TopicProvisioner.partitionConflict(topic, 1)).hasValueSatisfying(message ->
                assertThat(message).contains("has 1 partitions, the plan says 3"));
    }
}
