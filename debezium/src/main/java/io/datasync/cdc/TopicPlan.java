package io.datasync.cdc;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The topics the pipeline needs, created ahead rather than left to auto-creation
 * ({@code debezium/topics.json}): name, partition count and topic configuration.
 */
public record TopicPlan(List<Topic> topics) {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public TopicPlan {
        topics = List.copyOf(topics);
    }

    /** One planned topic. */
    public record Topic(String name, int partitions, Map<String, String> config) {
        public Topic {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a topic in the plan has no name");
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, not " + partitions);
            }
            config = config == null ? Map.of() : Map.copyOf(config);
        }
    }

    public static TopicPlan load(Path file) throws IOException {
        try {
            return STRICT.readValue(file.toFile(), TopicPlan.class);
        } catch (IOException e) {
            throw new IOException("cannot read the topic plan " + file + ": " + e.getMessage(), e);
        }
    }
}
