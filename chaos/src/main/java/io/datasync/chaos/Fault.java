package io.datasync.chaos;

import java.util.Arrays;

/** The faults of {@code make chaos}, in the order they run. The slugs name them on the command line and in the results. */
public enum Fault {
    TASKMANAGER_DURING_SNAPSHOT("taskmanager-snapshot", "kill -9 the TaskManager during the job's initial snapshot"),
    TASKMANAGER_DURING_STREAMING("taskmanager-streaming", "kill -9 the TaskManager while streaming"),
    /** Recovery time grows with the state and the state changelog a load leaves behind: measured after a long one. */
    TASKMANAGER_AFTER_LONG_LOAD("taskmanager-after-load", "kill -9 the TaskManager after a long load"),
    JOBMANAGER("jobmanager", "kill -9 the JobManager; restart it and the job from its latest retained checkpoint"),
    CONNECT("connect", "kill -9 the Kafka Connect worker; restart it"),
    OPENSEARCH("opensearch", "stop OpenSearch for the outage, then start it"),
    KAFKA("kafka", "kill -9 the Kafka broker; restart it"),
    SAVEPOINT_MID_BURST("savepoint-burst", "stop the job with a savepoint in the middle of a burst; restore it");

    private final String slug;
    private final String description;

    Fault(String slug, String description) {
        this.slug = slug;
        this.description = description;
    }

    public String slug() {
        return slug;
    }

    public String description() {
        return description;
    }

    /** Whether the job restores its state from a checkpoint or savepoint after this fault (its restore is timed). */
    public boolean restoresTheJob() {
        return this == TASKMANAGER_DURING_SNAPSHOT || this == TASKMANAGER_DURING_STREAMING || this == TASKMANAGER_AFTER_LONG_LOAD
                || this == JOBMANAGER || this == SAVEPOINT_MID_BURST;
    }

    public static Fault ofSlug(String slug) {
        return Arrays.stream(values()).filter(fault -> fault.slug.equals(slug)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--faults: no fault '" + slug + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Fault::slug).toList())));
    }
}
