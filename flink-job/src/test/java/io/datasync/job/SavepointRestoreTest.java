package io.datasync.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasync.job.FixtureSource.Event;
import io.datasync.job.deadletter.DeadLetter;
import io.datasync.job.decode.RawRecord;
import io.datasync.job.sink.DocumentWrite;
import io.datasync.job.sink.OpenSearchSettings;
import io.datasync.job.spec.SyncSpecParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RestoreMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job's data path restored from a real savepoint that a build of the job wrote, kept in
 * {@code src/test/resources/savepoints/<version>/}: a later build must still restore it (operator
 * uids, state names, serializers) and carry on from its state.
 *
 * <p>The savepoint holds the state after Debezium's initial snapshot of {@link #SNAPSHOT} (two
 * videos, two users, four comments; three comments on one video, three by one user). The test
 * restores it on a MiniCluster with a source that sends only streaming changes ({@link #STREAMED})
 * and checks what only the restored state can give: joined fields and aggregates of rows that are
 * not in the input, the rename of a video fanned out to comments that only the state knows, and
 * write counters that continue.
 *
 * <p>To write the savepoint of the current version (once per state-format change, then commit the
 * folder; keep the fixtures as they are, older savepoints are restored against them too):
 * <pre>
 * mvn -o -q -pl flink-job test -Dtest=SavepointRestoreTest -Dsavepoint.write=true
 * </pre>
 * It runs the data path on a MiniCluster at parallelism 2 with the job's configuration (changelog
 * state backend included) over {@link #SNAPSHOT}, waits until every document has been written once,
 * takes a canonical savepoint and copies it to {@code src/test/resources/savepoints/}{@link #CURRENT}.
 * Add the folder's name to the test's versions so it keeps being restored by later builds.
 */
class SavepointRestoreTest {
    /**
     * The savepoint this build writes, named after the state format it holds: the first format of
     * the job's own serializers (issue 13). 0.1.0 held Kryo maps, which no later build restores (README).
     */
    static final String CURRENT = "compact-state-1";
    private static final Path WRITTEN = Path.of("src/test/resources/savepoints");
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String GUITAR_TITLE = "Guitar basics";
    private static final String GUITAR_RENAMED = "Guitar basics, part 2";

    /** Debezium's initial snapshot: every row read once ({@code op: r}) at the snapshot's LSN. */
    static final List<Event> SNAPSHOT = snapshot(
            video("v-guitar", GUITAR_TITLE, "Music"),
            video("v-bread", "Sourdough at home", "Food"),
            user("u-ana", "@ana"),
            user("u-ben", "@ben"),
            comment("c-1", "v-guitar", "u-ana", 3, "2024-01-01T10:00:00Z"),
            comment("c-2", "v-guitar", "u-ben", 0, "2024-01-02T10:00:00Z"),
            comment("c-3", "v-guitar", "u-ana", 5, "2024-01-03T10:00:00Z"),
            comment("c-4", "v-bread", "u-ana", 1, "2024-01-04T10:00:00Z"));

    /** Streamed after the restore: more likes on c-4, a rename of v-guitar, a new comment on v-guitar by u-ben. */
    static final List<Event> STREAMED = List.of(
            streamed("u", 40_000_100, comment("c-4", "v-bread", "u-ana", 7, "2024-01-04T10:00:00Z")),
            streamed("u", 40_000_200, video("v-guitar", GUITAR_RENAMED, "Music")),
            streamed("c", 40_000_300, comment("c-5", "v-guitar", "u-ben", 2, "2024-02-01T10:00:00Z")));

    /**
     * Streamed after the restore once {@code ALTER TABLE … ADD COLUMN} has given comments a {@code pinned}
     * and videos a {@code duration_seconds}: rows the restored state holds lack them, changed rows carry them.
     */
    static final List<Event> STREAMED_WITH_ADDED_COLUMNS = List.of(
            streamed("u", 40_000_100, withColumn(comment("c-4", "v-bread", "u-ana", 7, "2024-01-04T10:00:00Z"), "pinned", BooleanNode.TRUE)),
            streamed("u", 40_000_200, withColumn(video("v-guitar", GUITAR_RENAMED, "Music"), "duration_seconds", IntNode.valueOf(300))));

    @TempDir
    Path work;

    @ParameterizedTest(name = "savepoint of {0}")
    @ValueSource(strings = {CURRENT})
    void aSavepointOfTheJobRestoresAndTheJobCarriesOnFromItsState(String version) throws Exception {
        if (Boolean.getBoolean("savepoint.write") && version.equals(CURRENT)) {
            writeSavepoint(WRITTEN.resolve(CURRENT));
        }
        Path savepoint = copy(savepointFolder(version), work.resolve("restored-savepoint"));

        Map<String, JsonNode> documents = run(savepoint, STREAMED, written -> {
            JsonNode c4 = written.get("comments_index/c-4");
            JsonNode guitar = written.get("videos_index/v-guitar");
            return c4 != null && c4.path("likes").asInt() == 7
                    && guitar != null && guitar.path("comment_count").asInt() == 4 && GUITAR_RENAMED.equals(guitar.path("title").asText())
                    && Stream.of("c-1", "c-2", "c-3", "c-5").allMatch(id -> written.containsKey("comments_index/" + id)
                            && GUITAR_RENAMED.equals(written.get("comments_index/" + id).path("video").path("title").asText()))
                    && written.containsKey("users_index/u-ben") && written.get("users_index/u-ben").path("comment_count").asInt() == 2;
        });

        JsonNode c4 = documents.get("comments_index/c-4");
        assertThat(c4.path("likes").asInt()).isEqualTo(7);
        assertThat(c4.path("video").path("title").asText()).as("the video's title, from the restored parent state").isEqualTo("Sourdough at home");
        assertThat(c4.path("video").path("category").asText()).isEqualTo("Food");
        assertThat(c4.path("user").path("channel_name").asText()).as("the user's channel name, from the restored parent state").isEqualTo("@ana");
        assertThat(c4.path("_write").asLong()).as("the write counter continues from the restored document state").isEqualTo(2);

        JsonNode guitar = documents.get("videos_index/v-guitar");
        assertThat(guitar.path("comment_count").asInt()).as("three comments from the savepoint and the new one").isEqualTo(4);
        assertThat(guitar.path("last_comment_at").asText()).isEqualTo("2024-02-01T10:00:00Z");
        assertThat(guitar.path("category").asText()).isEqualTo("Music");
        assertThat(documents.get("users_index/u-ben").path("comment_count").asInt()).as("one comment from the savepoint and the new one").isEqualTo(2);

        Map<String, String> channelOf = Map.of("c-1", "@ana", "c-2", "@ben", "c-3", "@ana", "c-5", "@ben");
        channelOf.forEach((comment, channel) -> {
            JsonNode document = documents.get("comments_index/" + comment);
            assertThat(document.path("video").path("title").asText()).as(comment + ": the rename reaches every comment of the video").isEqualTo(GUITAR_RENAMED);
            assertThat(document.path("user").path("channel_name").asText()).as(comment + ": its user, from the restored state").isEqualTo(channel);
        });
    }

    @ParameterizedTest(name = "savepoint of {0}")
    @ValueSource(strings = {CURRENT})
    void aSavepointSurvivesAColumnAddedToATable(String version) throws Exception {
        Path savepoint = copy(savepointFolder(version), work.resolve("restored-savepoint"));

        Map<String, JsonNode> documents = run(savepoint, STREAMED_WITH_ADDED_COLUMNS, written -> {
            JsonNode c4 = written.get("comments_index/c-4");
            JsonNode guitar = written.get("videos_index/v-guitar");
            JsonNode c1 = written.get("comments_index/c-1");
            return c4 != null && c4.has("pinned") && guitar != null && guitar.has("duration_seconds")
                    && c1 != null && GUITAR_RENAMED.equals(c1.path("video").path("title").asText());
        });

        JsonNode c4 = documents.get("comments_index/c-4");
        assertThat(c4.path("pinned").isBoolean()).as("the added column, in the changed row's document").isTrue();
        assertThat(c4.path("pinned").asBoolean()).isTrue();
        assertThat(c4.path("likes").asInt()).isEqualTo(7);
        assertThat(c4.path("video").path("title").asText()).as("joined from the restored parent state").isEqualTo("Sourdough at home");
        assertThat(c4.path("user").path("channel_name").asText()).isEqualTo("@ana");

        JsonNode guitar = documents.get("videos_index/v-guitar");
        assertThat(guitar.path("duration_seconds").asInt()).as("the added column, in the parent's own document").isEqualTo(300);
        assertThat(guitar.path("title").asText()).isEqualTo(GUITAR_RENAMED);
        assertThat(guitar.path("comment_count").asInt()).as("the aggregate of the restored state").isEqualTo(3);
        assertThat(documents.get("comments_index/c-1").path("video").path("title").asText())
                .as("a row the restored state holds without the new column still takes the rename").isEqualTo(GUITAR_RENAMED);
    }

    // ---- the job on a MiniCluster -----------------------------------------------------------

    private Map<String, JsonNode> run(Path restoreFrom, List<Event> events, Predicate<Map<String, JsonNode>> done) throws Exception {
        return run(restoreFrom, events, done, job -> {});
    }

    interface WhileRunning {
        void accept(JobClient job) throws Exception;
    }

    /**
     * Runs the data path, restored from {@code restoreFrom} (null: without state), over
     * {@code events} on a MiniCluster of its own until the latest writes satisfy {@code done};
     * returns the latest write of each document by {@code alias/id}, its write counter added as
     * {@code _write}. The job is still running during {@code whileRunning} (a savepoint), then cancelled.
     */
    private Map<String, JsonNode> run(Path restoreFrom, List<Event> events, Predicate<Map<String, JsonNode>> done, WhileRunning whileRunning)
            throws Exception {
        String runId = UUID.randomUUID().toString();
        Collect.WRITES.put(runId, new ConcurrentLinkedQueue<>());
        Collect.DEAD_LETTERS.put(runId, new ConcurrentLinkedQueue<>());
        Path runDir = Files.createTempDirectory(work, "run-");
        Configuration configuration = SyncJob.inProcessCluster(runDir.resolve("changelog").toUri().toString());
        configuration.setString("restart-strategy.type", "none");
        configuration.setString("rest.bind-port", "0");
        try (MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build())) {
            cluster.start();
            StreamExecutionEnvironment env = new TestStreamEnvironment(cluster, 2);
            if (restoreFrom != null) {
                Configuration restore = new Configuration();
                restore.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
                // As stack/job.sh restores: the changelog state backend cannot restore in NO_CLAIM mode (README). The copy is the test's to lose.
                restore.set(StateRecoveryOptions.RESTORE_MODE, RestoreMode.CLAIM);
                env.configure(restore);
            }
            SyncJob job = new SyncJob(SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC),
                    JobOptions.parse("--spec", SyncSpecParser.DEFAULT_SPEC, "--parallelism", "2", "--checkpoint-dir", runDir.resolve("checkpoints").toUri().toString()),
                    OpenSearchSettings.from("http://127.0.0.1:9200", Map.of()));
            job.configure(env);
            SyncJob.DataPath path = job.dataPath(env.addSource(new FixtureSource(events), "Fixture events", new RawRecord.Info().info())
                    .uid("fixture-source").setParallelism(1));
            path.writes().addSink(new Collect<>(runId, true)).uid("collected-writes").name("Collected writes");
            path.deadLetters().addSink(new Collect<>(runId, false)).uid("collected-dead-letters").name("Collected dead letters");
            JobClient client = env.executeAsync("savepoint-restore-test");
            try {
                Map<String, JsonNode> documents = awaitDocuments(runId, client, done);
                whileRunning.accept(client);
                return documents;
            } finally {
                if (!client.getJobStatus().get().isGloballyTerminalState()) {
                    client.cancel().get();
                }
            }
        } finally {
            Collect.WRITES.remove(runId);
            Collect.DEAD_LETTERS.remove(runId);
        }
    }

    private static Map<String, JsonNode> awaitDocuments(String runId, JobClient client, Predicate<Map<String, JsonNode>> done) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Map<String, JsonNode> documents = latest(Collect.WRITES.get(runId));
            assertThat(Collect.DEAD_LETTERS.get(runId)).as("dead letters").isEmpty();
            if (done.test(documents)) {
                return documents;
            }
            if (client.getJobStatus().get().isGloballyTerminalState()) {
                client.getJobExecutionResult().get(); // surfaces the cause of a failure
                throw new AssertionError("the job ended before the expected documents were written; written: " + describe(runId));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the expected documents were not written within " + DEADLINE + "; written: " + describe(runId));
            }
            Thread.sleep(100);
        }
    }

    /** The latest write of each document (by version) as {@code alias/id}, its write counter added as {@code _write}. */
    private static Map<String, JsonNode> latest(Queue<DocumentWrite> writes) {
        Map<String, DocumentWrite> latest = new LinkedHashMap<>();
        for (DocumentWrite write : writes) {
            latest.merge(write.alias() + "/" + write.id(), write, (a, b) -> a.version() >= b.version() ? a : b);
        }
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        latest.forEach((id, write) -> {
            ObjectNode document = write.isDelete() ? JSON.createObjectNode() : (ObjectNode) parse(write.source());
            document.put("_write", write.version() & 0xffff_ffffL);
            documents.put(id, document);
        });
        return documents;
    }

    private static String describe(String runId) {
        List<String> lines = new ArrayList<>();
        for (DocumentWrite write : Collect.WRITES.get(runId)) {
            lines.add(write.alias() + "/" + write.id() + " v" + (write.version() >>> 32) + "." + (write.version() & 0xffff_ffffL) + " "
                    + (write.isDelete() ? "(delete)" : new String(write.source(), StandardCharsets.UTF_8)));
        }
        return lines.isEmpty() ? "nothing" : "\n  " + String.join("\n  ", lines);
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects what reaches it in this JVM (the MiniCluster's tasks run in it), per run. */
    static final class Collect<T> implements SinkFunction<T> {
        static final Map<String, Queue<DocumentWrite>> WRITES = new ConcurrentHashMap<>();
        static final Map<String, Queue<String>> DEAD_LETTERS = new ConcurrentHashMap<>();

        private final String runId;
        private final boolean writes;

        Collect(String runId, boolean writes) {
            this.runId = runId;
            this.writes = writes;
        }

        @Override
        public void invoke(T value, Context context) {
            if (writes) {
                WRITES.get(runId).add((DocumentWrite) value);
            } else {
                DEAD_LETTERS.get(runId).add(new String(((DeadLetter) value).toJson(), StandardCharsets.UTF_8));
            }
        }
    }

    // ---- the savepoint ---------------------------------------------------------------------

    /** Runs {@link #SNAPSHOT} without state until every document has been written, once, and keeps a savepoint of it in {@code target}. */
    private void writeSavepoint(Path target) throws Exception {
        Path taken = work.resolve("taken");
        Path[] savepoint = new Path[1];
        Map<String, JsonNode> documents = run(null, SNAPSHOT, written -> written.size() == 8
                && written.get("videos_index/v-guitar") != null && written.get("videos_index/v-guitar").path("comment_count").asInt() == 3
                && written.get("users_index/u-ana") != null && written.get("users_index/u-ana").path("comment_count").asInt() == 3
                && Stream.of("c-1", "c-2", "c-3", "c-4").allMatch(id -> written.containsKey("comments_index/" + id)
                        && written.get("comments_index/" + id).path("video").has("title")
                        && written.get("comments_index/" + id).path("user").has("channel_name")),
                job -> savepoint[0] = Path.of(URI.create(job.triggerSavepoint(taken.toUri().toString(), SavepointFormatType.CANONICAL).get())));

        assertThat(documents.values()).as("each document of the snapshot written once").allMatch(document -> document.path("_write").asLong() == 1);
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                old.sorted(Comparator.reverseOrder()).forEach(SavepointRestoreTest::delete);
            }
        }
        copy(savepoint[0], target);
        try (Stream<Path> files = Files.walk(target)) {
            System.out.println("savepoint written to " + target.toAbsolutePath() + ": "
                    + files.filter(Files::isRegularFile).map(file -> target.relativize(file) + " (" + size(file) + " bytes)").collect(Collectors.joining(", ")));
        }
    }

    private static Path savepointFolder(String version) throws URISyntaxException {
        if (Boolean.getBoolean("savepoint.write") && version.equals(CURRENT)) {
            return WRITTEN.resolve(CURRENT);
        }
        URL folder = SavepointRestoreTest.class.getResource("/savepoints/" + version + "/_metadata");
        assertThat(folder).as("savepoints/" + version + " is missing: write it with -Dsavepoint.write=true (see the class comment)").isNotNull();
        return Path.of(folder.toURI()).getParent();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return to;
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- Debezium change events as the topics hold them --------------------------------------

    private static final long SNAPSHOT_LSN = 40_000_000;
    private static final String TIMESTAMP = "2026-01-05T12:00:00.000000Z";

    /** A row of a table: its topic, key column and columns. */
    record TableRow(String table, String keyColumn, ObjectNode columns) {}

    static TableRow video(String id, String title, String category) {
        ObjectNode row = JSON.createObjectNode().put("video_id", id).put("title", title).put("category", category)
                .put("created_at", TIMESTAMP).put("updated_at", TIMESTAMP);
        return new TableRow("videos", "video_id", row);
    }

    static TableRow user(String id, String channelName) {
        ObjectNode row = JSON.createObjectNode().put("channel_id", id).put("channel_name", channelName)
                .put("created_at", TIMESTAMP).put("updated_at", TIMESTAMP);
        return new TableRow("users", "channel_id", row);
    }

    static TableRow comment(String id, String videoId, String channelId, int likes, String publishedAt) {
        ObjectNode row = JSON.createObjectNode().put("comment_id", id).put("video_id", videoId).put("channel_id", channelId)
                .put("comment_text", "comment " + id).put("likes", likes).put("replies", 0).put("published_at", publishedAt)
                .put("sentiment_label", "Positive").putNull("country_code").put("created_at", TIMESTAMP).put("updated_at", TIMESTAMP);
        return new TableRow("comments", "comment_id", row);
    }

    /** The row as it reads after {@code ALTER TABLE … ADD COLUMN column}: one more column, last. */
    static TableRow withColumn(TableRow row, String column, JsonNode value) {
        row.columns().set(column, value);
        return row;
    }

    /** Rows read by the snapshot: {@code source.snapshot} is first, true… and last, as Debezium marks them. */
    static List<Event> snapshot(TableRow... rows) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            String marker = i == 0 ? "first" : i == rows.length - 1 ? "last" : "true";
            events.add(event(rows[i], "r", marker, SNAPSHOT_LSN));
        }
        return events;
    }

    static Event streamed(String op, long lsn, TableRow row) {
        return event(row, op, "false", lsn);
    }

    private static Event event(TableRow row, String op, String snapshot, long lsn) {
        long commitMillis = 1_767_614_400_000L + (lsn - SNAPSHOT_LSN);
        ObjectNode key = JSON.createObjectNode().set(row.keyColumn(), row.columns().get(row.keyColumn()));
        ObjectNode value = JSON.createObjectNode();
        value.putNull("before");
        value.set("after", row.columns());
        value.putObject("source")
                .put("version", "3.3.2.Final").put("connector", "postgresql").put("name", "dbserver").put("ts_ms", commitMillis)
                .put("snapshot", snapshot).put("db", "app").put("schema", "public").put("table", row.table())
                .put("txId", 700 + lsn % 1000).put("lsn", lsn).putNull("xmin");
        value.putNull("transaction");
        value.put("op", op);
        value.put("ts_ms", commitMillis + 50);
        return new Event("dbserver.public." + row.table(), key.toString(), value.toString());
    }
}
