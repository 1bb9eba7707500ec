package io.datasync.cdc;

import java.util.List;

/** What Kafka Connect reports for one connector: its state and that of each task. */
public record ConnectorStatus(String name, String state, String workerId, List<Task> tasks) {
    public static final String RUNNING = "RUNNING";
    public static final String FAILED = "FAILED";

    public ConnectorStatus {
        tasks = List.copyOf(tasks);
    }

    /** One task: its state and, when it failed, the first line of the trace Connect keeps. */
    public record Task(int id, String state, String trace) {
        public String firstTraceLine() {
            return trace == null ? "" : trace.lines().findFirst().orElse("");
        }
    }

    /** The connector and all of its tasks (at least one) are RUNNING. */
    public boolean running() {
        return RUNNING.equals(state) && !tasks.isEmpty() && tasks.stream().allMatch(t -> RUNNING.equals(t.state()));
    }

    public boolean failed() {
        return FAILED.equals(state) || tasks.stream().anyMatch(t -> FAILED.equals(t.state()));
    }
}
