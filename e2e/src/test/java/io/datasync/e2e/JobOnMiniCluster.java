package io.datasync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasync.job.JobOptions;
import io.datasync.job.SyncJob;
import io.datasync.job.spec.SyncSpec;
import io.datasync.testing.TestStack;
import io.datasync.testing.TestStack.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * The sync job on a Flink MiniCluster (one TaskManager, two slots, parallelism 2) against a test
 * stack whose Kafka and OpenSearch run: prepared as {@code main} prepares it (the same checks, the
 * indexes created), checkpointing to a folder of its own with the changelog state backend.
 */
final class JobOnMiniCluster implements AutoCloseable {
    final SyncSpec spec;
    final Path checkpoints;
    private final SyncJob prepared;
    private final MiniCluster flink;
    private JobClient job;

    /** Starts PostgreSQL with the shipped sample, Kafka, Connect + Debezium and OpenSearch on {@code stack}, then the job. */
    static JobOnMiniCluster onSample(TestStack stack, String groupId) throws Exception {
        stack.make("start", "DATA_DIR=postgres/sample").orThrow();
        stack.make("start-cdc").orThrow();
        stack.start(Service.OPENSEARCH);
        return new JobOnMiniCluster(stack, groupId);
    }

    JobOnMiniCluster(TestStack stack, String groupId) throws Exception {
        checkpoints = Files.createTempDirectory(groupId + "-checkpoints");
        JobOptions options = JobOptions.parse("--bootstrap-servers", stack.kafkaBootstrap(), "--opensearch-url", stack.openSearchUrl(),
                "--checkpoint-interval", "PT2S", "--parallelism", "2", "--group-id", groupId, "--checkpoint-dir", checkpoints.toUri().toString());
        prepared = SyncJob.prepare(options, Map.of());
        spec = prepared.spec();
        // The job's changelog state backend writes its log here, as the session cluster does under var/flink/changelog.
        Configuration configuration = SyncJob.inProcessCluster(checkpoints.resolve("changelog").toUri().toString());
        // A failure must fail the test, not loop in restarts.
        configuration.setString("restart-strategy.type", "none");
        // Keep older checkpoints: the crash test restores twice from one that later ones would subsume.
        configuration.setString("state.checkpoints.num-retained", "100");
        // The REST API (metrics) on a free port.
        configuration.setString("rest.bind-port", "0");
        flink = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        flink.start();
        job = submit(null);
    }

    JobClient job() {
        return job;
    }

    /** Cancels the running job and submits it again, restored from {@code checkpoint} when one is given. */
    void restart(String checkpoint) throws Exception {
        failIfFailed();
        job.cancel().get();
        job = submit(checkpoint);
    }

    private JobClient submit(String restoreFrom) throws Exception {
        StreamExecutionEnvironment env = new TestStreamEnvironment(flink, 2);
        if (restoreFrom != null) {
            Configuration restore = new Configuration();
            restore.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
            // As stack/job.sh does: the changelog state backend cannot restore in NO_CLAIM mode.
            restore.set(org.apache.flink.configuration.StateRecoveryOptions.RESTORE_MODE, org.apache.flink.core.execution.RestoreMode.CLAIM);
            env.configure(restore);
        }
        prepared.build(env);
        return env.executeAsync("data-sync e2e");
    }

    /** Surfaces the cause when the job has failed on its own. */
    void failIfFailed() throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get();
        }
    }

    /** A job metric summed over every operator and subtask that reports it (Flink's REST API; refreshed every few seconds). */
    long metric(String name) throws Exception {
        String base = flink.getRestAddress().get().toString().replaceAll("/$", "") + "/jobs/" + job.getJobID().toHexString();
        long sum = 0;
        for (JsonNode vertex : PipelineChecks.get(base).path("vertices")) {
            String vertexUrl = base + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            for (JsonNode metric : PipelineChecks.get(vertexUrl)) {
                String id = metric.path("id").asText();
                if (id.equals(name) || id.endsWith("." + name)) {
                    sum += PipelineChecks.get(vertexUrl + "?agg=sum&get=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)).path(0).path("sum").asLong();
                }
            }
        }
        return sum;
    }

    /** Stops the job (when it was started) and then the stack's services. */
    static void closeWithStack(JobOnMiniCluster job, TestStack stack) throws Exception {
        try {
            if (job != null) {
                job.close();
            }
        } finally {
            stack.close();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (job != null && !job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        } finally {
            flink.close();
        }
    }
}
