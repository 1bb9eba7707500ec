package io.datasync.job.source;

import io.datasync.job.spec.SyncSpec;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Checked before the job is submitted: Kafka answers at --bootstrap-servers and holds every topic
 * the sync spec reads (a wrong topic prefix would leave the job running on nothing), and the
 * topics still hold every change the job has not read yet (see {@link ResumeGap}).
 */
public final class SourceTopics {
    private SourceTopics() {}

    public static void check(SyncSpec spec, String bootstrapServers) {
        List<String> wanted = spec.tables().stream().map(spec::topic).toList();
        Set<String> existing;
        try (Admin admin = admin(bootstrapServers)) {
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

    /**
     * Refuses a start that would skip changes: restored from {@code restorePointer} (a checkpoint or
     * savepoint; null for a start without state), the job must find every partition of the spec's
     * topics still holding the offset it resumes at. A start without state reads from offset 0.
     */
    public static void checkResume(SyncSpec spec, String bootstrapServers, String restorePointer) {
        Map<TopicPartition, Long> restored;
        try {
            restored = restorePointer == null ? Map.of() : RestoredOffsets.read(restorePointer);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Kafka offsets of " + restorePointer + ": " + e.getMessage(), e);
        }
        List<ResumeGap> gaps = withAdmin(bootstrapServers, admin -> {
            List<TopicPartition> partitions = partitions(admin, spec);
            return ResumeGap.find(restored, offsets(admin, partitions, OffsetSpec.earliest()), offsets(admin, partitions, OffsetSpec.latest()));
        });
        if (!gaps.isEmpty()) {
            throw new IllegalStateException(ResumeGap.refusal(gaps, restorePointer != null));
        }
    }

    /** The end offset of every partition of the spec's topics: where a run that starts at the topics' end begins. */
    public static Map<TopicPartition, Long> endOffsets(SyncSpec spec, String bootstrapServers) {
        return withAdmin(bootstrapServers, admin -> new HashMap<>(offsets(admin, partitions(admin, spec), OffsetSpec.latest())));
    }

    /** What Kafka's Admin API is asked. */
    private interface AdminCall<T> {
        T call(Admin admin) throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** {@code call} on an Admin client of {@code bootstrapServers}, a failure naming the setting. */
    private static <T> T withAdmin(String bootstrapServers, AdminCall<T> call) {
        try (Admin admin = admin(bootstrapServers)) {
            return call.call(admin);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalArgumentException("--bootstrap-servers " + bootstrapServers + ": cannot read the topics' offsets (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the topics' offsets", e);
        }
    }

    private static List<TopicPartition> partitions(Admin admin, SyncSpec spec) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> topics = spec.tables().stream().map(spec::topic).toList();
        return admin.describeTopics(topics).allTopicNames().get(20, TimeUnit.SECONDS).values().stream()
                .flatMap((TopicDescription topic) -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                .toList();
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec which)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(Function.identity(), p -> which));
        return admin.listOffsets(request).all().get(20, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }
}
