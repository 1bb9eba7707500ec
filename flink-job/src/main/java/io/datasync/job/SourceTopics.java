package io.datasync.job;

import io.datasync.job.spec.SyncSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checked before the job is submitted: Kafka answers at --bootstrap-servers and holds every topic
 * the sync spec reads. Without it a wrong topic prefix would leave the job running on nothing.
 */
public final class SourceTopics {
    private SourceTopics() {}

    public static void check(SyncSpec spec, String bootstrapServers) {
        List<String> wanted = spec.tables().stream().map(spec::topic).toList();
        Set<String> existing;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalArgumentException("--bootstrap-servers " + bootstrapServers + ": Kafka does not answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing Kafka's topics", e);
        }
        List<String> missing = wanted.stream().filter(topic -> !existing.contains(topic)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the sync spec reads " + missing + ", which Kafka at --bootstrap-servers " + bootstrapServers
                    + " does not have: check the spec's source.topic_prefix and source.schema (topics are <topic_prefix>.<schema>.<table>)"
                    + " and that the Debezium connector is registered (make start-cdc)");
        }
    }
}
