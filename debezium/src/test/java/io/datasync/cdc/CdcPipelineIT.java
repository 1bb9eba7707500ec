package io.datasync.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.datasync.testing.ChangeEvent;
import io.datasync.testing.Shell;
import io.datasync.testing.TestStack;
import io.datasync.testing.TestStack.Service;
import io.datasync.testing.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CDC path as a user runs it: {@code make start} (the shipped sample), {@code make start-cdc},
 * then real SQL against PostgreSQL and a plain Kafka consumer on the topics. Events seen here are
 * kept as fixtures for the job's decoder tests (written when {@code -Dfixtures.dir=…} is set).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcPipelineIT {
    static final String VIDEOS = "dbserver.public.videos";
    static final String USERS = "dbserver.public.users";
    static final String COMMENTS = "dbserver.public.comments";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    static final TestStack STACK = TestStack.create("cdc");
    static final Map<String, ChangeEvent> FIXTURES = new LinkedHashMap<>();
    static TopicReader topics;

    @BeforeAll
    static void startPipeline() {
        STACK.make("start", "DATA_DIR=postgres/sample").orThrow();
        STACK.make("start-cdc").orThrow();
        topics = new TopicReader(STACK.kafkaBootstrap(), List.of(VIDEOS, USERS, COMMENTS));
    }

    @AfterAll
    static void stopPipeline() throws IOException {
        try {
            if (topics != null) {
                topics.close();
            }
        } finally {
            STACK.close();
        }
        String dir = System.getProperty("fixtures.dir");
        if (dir != null) {
            writeFixtures(Path.of(dir));
        }
    }

    @Test
    @Order(1)
    void connectorAndTaskRunAndStatusShowsTheSlotLag() throws InterruptedException {
        // The slot turns active only when Debezium starts streaming, after its snapshot.
        Shell.Result status = STACK.make("status-cdc").orThrow();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!status.output().contains("slot dbserver_slot: active") && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            status = STACK.make("status-cdc").orThrow();
        }

        assertThat(status.output())
                .contains("kafka: up")
                .contains("connect: up")
                .contains("connector postgres-connector: RUNNING")
                .contains("task 0: RUNNING")
                .containsPattern("slot dbserver_slot: active, lag [0-9,]+ bytes");
    }

    @Test
    @Order(2)
    void aBadConfigurationGetsConnectsOwnErrorAndChangesNothing(@TempDir Path dir) throws Exception {
        Map<String, String> config = ConnectClient.readConfig(STACK.root().resolve("debezium/postgres-connector.json"));
        config.put("snapshot.mode", "sometimes");
        Path bad = dir.resolve("bad-connector.json");
        JSON.writeValue(bad.toFile(), config);

        Shell.Result result = STACK.make("register-connector", "CONNECTOR_CONFIG=" + bad);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("HTTP 400").contains("snapshot.mode");
        assertThat(STACK.make("status-cdc").orThrow().output()).contains("connector postgres-connector: RUNNING");
    }

    @Test
    @Order(3)
    void theSnapshotHasOneReadEventPerRow() throws SQLException {
        Map<String, Long> rows = Map.of(VIDEOS, count("videos"), USERS, count("users"), COMMENTS, count("comments"));
        long total = rows.values().stream().mapToLong(Long::longValue).sum();

        List<ChangeEvent> events = topics.awaitUntil(read -> read.size() >= total, WAIT, total + " snapshot events");
        events = topics.drain(Duration.ofSeconds(2));

        assertThat(events).allMatch(e -> "r".equals(e.op()));
        Map<String, Long> perTopic = events.stream().collect(Collectors.groupingBy(ChangeEvent::topic, Collectors.counting()));
        assertThat(perTopic).isEqualTo(rows);
        // Keyed by primary key: the key names the row of the value.
        assertThat(events).allMatch(e -> e.keyJson().elements().next().equals(e.after().get(e.keyJson().fieldNames().next())));
        keep("snapshot-video", first(e -> e.topic().equals(VIDEOS)));
        keep("snapshot-user", first(e -> e.topic().equals(USERS)));
        keep("snapshot-comment", first(e -> e.topic().equals(COMMENTS) && e.after().path("country_code").isNull()));
    }

    @Test
    @Order(4)
    void insertUpdateAndDeleteGiveCreateUpdateDeleteAndATombstone() throws SQLException {
        execute("INSERT INTO videos (video_id, title, category) VALUES ('it-video-1', 'A test video', 'Education')",
                "INSERT INTO users (channel_id, channel_name) VALUES ('it-user-1', 'Tester 🧪')",
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, likes, published_at, sentiment_label, country_code)"
                        + " VALUES ('it-comment-1', 'it-video-1', 'it-user-1', 'First! with a \"quote\"', 3, '2024-05-06 07:08:09.123456', 'Positive', 'FR')",
                "UPDATE videos SET title = 'A renamed test video' WHERE video_id = 'it-video-1'",
                "UPDATE users SET channel_name = 'Tester renamed' WHERE channel_id = 'it-user-1'",
                "UPDATE comments SET likes = 4 WHERE comment_id = 'it-comment-1'",
                "DELETE FROM comments WHERE comment_id = 'it-comment-1'",
                "INSERT INTO users (channel_id, channel_name) VALUES ('it-user-2', 'Short-lived')",
                "DELETE FROM users WHERE channel_id = 'it-user-2'");

        // The last event of each topic: the topics are read together, and one topic's records may arrive before another's.
        topics.awaitUntil(read -> read.stream().anyMatch(e -> e.tombstone() && e.key().contains("it-user-2"))
                && read.stream().anyMatch(e -> e.tombstone() && e.key().contains("it-comment-1"))
                && read.stream().anyMatch(e -> "u".equals(e.op()) && e.key().contains("it-video-1")), WAIT, "the last change of each table");
        List<ChangeEvent> comment = eventsOf(COMMENTS, "it-comment-1");

        assertThat(comment).extracting(ChangeEvent::op).containsExactly("c", "u", "d", null);
        ChangeEvent create = comment.get(0);
        assertThat(create.after().path("comment_text").asText()).isEqualTo("First! with a \"quote\"");
        assertThat(create.after().path("published_at").asText()).isEqualTo("2024-05-06T07:08:09.123456Z");
        assertThat(create.after().path("likes").asInt()).isEqualTo(3);
        // Default replica identity: updates carry no before-image; a delete's before-image holds the
        // key, and Debezium fills the other columns with NULL, or with made-up values (empty text)
        // for NOT NULL columns, that the job must never take for data. Optional columns stay null:
        // the worker sets replace.null.with.default=false (else created_at would read as the epoch).
        ChangeEvent update = comment.get(1);
        assertThat(update.before().isNull()).isTrue();
        assertThat(update.after().path("likes").asInt()).isEqualTo(4);
        ChangeEvent delete = comment.get(2);
        assertThat(delete.after().isNull()).isTrue();
        assertThat(delete.before().path("comment_id").asText()).isEqualTo("it-comment-1");
        assertThat(delete.before().path("video_id").isNull()).isTrue();
        assertThat(delete.before().path("comment_text").asText()).isEqualTo("");
        assertThat(delete.before().path("created_at").isNull()).isTrue();
        assertThat(comment.get(3).key()).isEqualTo(delete.key());

        assertThat(eventsOf(VIDEOS, "it-video-1")).extracting(ChangeEvent::op).containsExactly("c", "u");
        assertThat(eventsOf(USERS, "it-user-1")).extracting(ChangeEvent::op).containsExactly("c", "u");
        assertThat(eventsOf(USERS, "it-user-2")).extracting(ChangeEvent::op).containsExactly("c", "d", null);
        keep("delete-user", eventsOf(USERS, "it-user-2").get(1));
        keep("create-video", eventsOf(VIDEOS, "it-video-1").get(0));
        keep("update-video", eventsOf(VIDEOS, "it-video-1").get(1));
        keep("create-user", eventsOf(USERS, "it-user-1").get(0));
        keep("update-user", eventsOf(USERS, "it-user-1").get(1));
        keep("create-comment", create);
        keep("update-comment", update);
        keep("delete-comment", delete);
        keep("tombstone-comment", comment.get(3));
    }

    @Test
    @Order(5)
    void deletingAVideoYieldsOneDeletePerCommentOfIt() throws SQLException {
        String video = scalar("SELECT video_id FROM comments GROUP BY video_id HAVING count(*) BETWEEN 3 AND 50 ORDER BY video_id LIMIT 1");
        List<String> commentIds = strings("SELECT comment_id FROM comments WHERE video_id = '" + video + "' ORDER BY comment_id");

        execute("DELETE FROM videos WHERE video_id = '" + video + "'");

        topics.awaitUntil(read -> read.stream().anyMatch(e -> e.tombstone() && e.topic().equals(VIDEOS) && e.key().contains(video)),
                WAIT, "the tombstone of video " + video);
        topics.awaitUntil(read -> commentIds.stream().allMatch(id -> read.stream().anyMatch(e -> e.tombstone() && e.key().contains(id))),
                WAIT, "tombstones of the " + commentIds.size() + " comments");
        List<ChangeEvent> deletes = topics.matching(e -> COMMENTS.equals(e.topic()) && "d".equals(e.op())
                && commentIds.contains(e.before().path("comment_id").asText()));

        assertThat(deletes).extracting(e -> e.before().path("comment_id").asText()).containsExactlyInAnyOrderElementsOf(commentIds);
        assertThat(eventsOf(VIDEOS, video)).extracting(ChangeEvent::op).containsExactly("r", "d", null);
        keep("cascade-delete-video", eventsOf(VIDEOS, video).get(1));
        keep("cascade-delete-comment", deletes.get(0));
    }

    @Test
    @Order(6)
    void anUnchangedToastedColumnArrivesAsTheUnavailablePlaceholder() throws SQLException {
        String longText = randomText(12_000);
        execute("INSERT INTO comments (comment_id, video_id, channel_id, comment_text) VALUES ('it-toast-1', 'it-video-1', 'it-user-1', '" + longText + "')",
                "UPDATE comments SET likes = 99 WHERE comment_id = 'it-toast-1'");

        topics.awaitUntil(read -> read.stream().anyMatch(e -> "u".equals(e.op()) && e.key().contains("it-toast-1")), WAIT, "the update of it-toast-1");
        List<ChangeEvent> events = eventsOf(COMMENTS, "it-toast-1");

        assertThat(events.get(0).after().path("comment_text").asText()).isEqualTo(longText);
        assertThat(events.get(1).after().path("likes").asInt()).isEqualTo(99);
        assertThat(events.get(1).after().path("comment_text").asText()).isEqualTo("__debezium_unavailable_value");
        keep("toast-placeholder-comment", events.get(1));
    }

    @Test
    @Order(7)
    void aColumnAddedWhileStreamingFlowsIntoEventsAndDecimalsArriveAsStrings() throws SQLException {
        execute("ALTER TABLE videos ADD COLUMN rating numeric(4,2)",
                "UPDATE videos SET rating = 4.75 WHERE video_id = 'it-video-1'");

        topics.awaitUntil(read -> read.stream().anyMatch(e -> e.key() != null && e.key().contains("it-video-1") && e.after().has("rating")),
                WAIT, "an event with the new column");
        ChangeEvent event = topics.matching(e -> e.key() != null && e.key().contains("it-video-1") && e.after().has("rating")).get(0);

        assertThat(event.op()).isEqualTo("u");
        assertThat(event.after().path("rating").isTextual()).isTrue();
        assertThat(event.after().path("rating").asText()).isEqualTo("4.75");
        keep("add-column-decimal-video", event);
        execute("ALTER TABLE videos DROP COLUMN rating");
    }

    @Test
    @Order(8)
    void changesMadeWhileConnectIsDownArriveOnceWhenItIsBack() throws SQLException {
        List<ChangeEvent> before = topics.drain(Duration.ofSeconds(2));
        long slotBefore = confirmedFlushLsn();

        STACK.script(Service.CONNECT, "stop").orThrow();
        insertComments("it-offline-", 25);
        STACK.script(Service.CONNECT, "start").orThrow();

        List<ChangeEvent> events = topics.awaitUntil(read -> created(read, "it-offline-") == 25, WAIT, "25 comments made while Connect was down");
        events = topics.drain(Duration.ofSeconds(3));

        assertThat(created(events, "it-offline-")).isEqualTo(25);
        assertThat(events.subList(0, before.size())).isEqualTo(before);
        assertThat(duplicates(events)).isEmpty();
        assertThat(confirmedFlushLsn()).isGreaterThanOrEqualTo(slotBefore);
    }

    @Test
    @Order(9)
    void changesMadeWhileTheBrokerIsDownAllArriveAndAResentEventRepeatsItsLsnAndRow() throws SQLException {
        // Connect cannot commit source offsets while the broker is down, so when it comes back the task may
        // resend what it had already produced (at-least-once, spec 002): the job absorbs a resent event only
        // because it carries the same LSN and the same row.
        long slotBefore = confirmedFlushLsn();

        STACK.script(Service.KAFKA, "stop").orThrow();
        insertComments("it-brokerless-", 25);
        STACK.script(Service.KAFKA, "start").orThrow();

        List<ChangeEvent> events = topics.awaitUntil(read -> createdIds(read, "it-brokerless-").size() == 25, Duration.ofSeconds(120),
                "25 comments made while Kafka was down");
        events = topics.drain(Duration.ofSeconds(3));

        assertThat(createdIds(events, "it-brokerless-")).hasSize(25);
        assertThat(resentWithAnotherRow(events)).isEmpty();
        assertThat(STACK.make("status-cdc").orThrow().output()).contains("task 0: RUNNING");
        assertThat(confirmedFlushLsn()).isGreaterThanOrEqualTo(slotBefore);
    }

    @Test
    @Order(10)
    void theSlotAdvancesWhileTheCapturedTablesAreIdle() throws SQLException {
        // WAL written outside the captured tables: without the heartbeat query the slot would hold it.
        execute("CREATE TABLE IF NOT EXISTS not_captured (id int PRIMARY KEY, filler text)",
                "INSERT INTO not_captured SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
        long written = Long.parseLong(scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"));

        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (confirmedFlushLsn() < written && System.nanoTime() < deadline) {
            sleep(Duration.ofSeconds(1));
        }

        assertThat(confirmedFlushLsn()).isGreaterThanOrEqualTo(written);
        execute("DROP TABLE not_captured");
    }

    @Test
    @Order(11)
    void aConnectorWithSchemasEmbedsThemAndEncodesTimeAndDecimalsByThem() throws Exception {
        List<String> schemaTopics = List.of("dbschema.public.videos", "dbschema.public.users", "dbschema.public.comments");
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", STACK.kafkaBootstrap()))) {
            new TopicProvisioner(admin).ensure(new TopicPlan(schemaTopics.stream().map(t -> new TopicPlan.Topic(t, 3, Map.of())).toList()));
        }
        Map<String, String> config = ConnectClient.readConfig(STACK.root().resolve("debezium/postgres-connector.json"));
        config.remove("heartbeat.action.query");
        // Signals are for the main connector only.
        config.keySet().removeIf(key -> key.startsWith("signal.") || key.startsWith("notification.") || key.startsWith("incremental.snapshot."));
        config.put("table.include.list", "public.videos,public.users,public.comments");
        config.putAll(Map.of(
                "topic.prefix", "dbschema",
                "slot.name", "dbschema_slot",
                "publication.name", "dbschema_publication",
                "heartbeat.interval.ms", "0",
                "time.precision.mode", "adaptive",
                "decimal.handling.mode", "precise",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "key.converter.schemas.enable", "true",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "true"));
        ConnectClient connect = new ConnectClient(STACK.connectUrl());
        execute("ALTER TABLE videos ADD COLUMN rating numeric(4,2)");
        connect.putConfig("fixtures-with-schemas", config);
        try (TopicReader withSchemas = new TopicReader(STACK.kafkaBootstrap(), schemaTopics)) {
            withSchemas.awaitUntil(read -> read.stream().anyMatch(e -> e.topic().endsWith("comments")), WAIT, "the snapshot with schemas");
            execute("UPDATE videos SET rating = 3.5 WHERE video_id = 'it-video-1'");
            withSchemas.awaitUntil(read -> read.stream().anyMatch(e -> "u".equals(e.op())), WAIT, "an update with schemas");

            ChangeEvent update = withSchemas.matching(e -> "u".equals(e.op())).get(0);
            ChangeEvent comment = withSchemas.matching(e -> e.topic().endsWith("comments") && "r".equals(e.op())).get(0);
            assertThat(JSON.readTree(update.value()).path("schema").path("name").asText()).isEqualTo("dbschema.public.videos.Envelope");
            // Precise decimals are base64 bytes with a scale in the schema; adaptive timestamps are epoch microseconds.
            assertThat(update.after().path("rating").asText()).isEqualTo("AV4=");
            assertThat(comment.after().path("published_at").isIntegralNumber()).isTrue();
            keep("with-schema-update-decimal-video", update);
            keep("with-schema-snapshot-comment", comment);
            keep("with-schema-snapshot-user", withSchemas.matching(e -> e.topic().endsWith("users")).get(0));
        } finally {
            connect.delete("fixtures-with-schemas");
            execute("ALTER TABLE videos DROP COLUMN rating");
        }
        List<ChangeEvent> heartbeats;
        try (TopicReader heartbeat = new TopicReader(STACK.kafkaBootstrap(), List.of("__debezium-heartbeat.dbserver"))) {
            heartbeats = heartbeat.awaitUntil(read -> !read.isEmpty(), WAIT, "a heartbeat");
        }
        keep("heartbeat", heartbeats.get(0));
    }

    @Test
    @Order(12)
    void truncateIsCapturedAsAnEventOfItsOwn() throws SQLException {
        execute("TRUNCATE comments");

        topics.awaitUntil(read -> read.stream().anyMatch(e -> "t".equals(e.op())), WAIT, "a truncate event");
        ChangeEvent truncate = topics.matching(e -> "t".equals(e.op())).get(0);

        assertThat(truncate.topic()).isEqualTo(COMMENTS);
        assertThat(truncate.key()).isNull();
        assertThat(truncate.envelope().path("source").path("table").asText()).isEqualTo("comments");
        // A keyless event would kill the task on a compacted topic: the CDC topics use time retention.
        assertThat(STACK.make("status-cdc").orThrow().output()).contains("task 0: RUNNING");
        keep("truncate-comments", truncate);
    }

    @Test
    @Order(13)
    void resnapshotRereadsTablesWhileStreamingAndReportsTheirScans() throws SQLException {
        execute("UPDATE users SET channel_name = 'Renamed before the resnapshot' WHERE channel_id = 'it-user-1'");
        topics.awaitUntil(read -> !eventsOf(USERS, "it-user-1").isEmpty() && eventsOf(USERS, "it-user-1").stream()
                .anyMatch(e -> "Renamed before the resnapshot".equals(e.after().path("channel_name").asText())), WAIT, "the rename");
        int before = topics.all().size();

        Shell.Result resnapshot = STACK.make(Duration.ofMinutes(3), "resnapshot", "TABLES=users,videos").orThrow();

        assertThat(resnapshot.output()).contains("asked Debezium for an incremental snapshot of public.users, public.videos")
                .contains("incremental snapshot started").containsPattern("public.users: chunk 1, ~[0-9,]+ of [0-9,]+ rows")
                .contains("public.users: scan SUCCEEDED").contains("public.videos: scan SUCCEEDED").contains("incremental snapshot completed");
        long users = count("users");
        long videos = count("videos");
        List<ChangeEvent> reads = topics.awaitUntil(read -> read.subList(before, read.size()).stream().filter(e -> "r".equals(e.op())).count()
                >= users + videos, WAIT, "a read event per user and video").subList(before, topics.all().size());
        // Reads of the current rows, marked as an incremental snapshot, one per row.
        assertThat(reads).filteredOn(e -> "r".equals(e.op())).allSatisfy(e ->
                assertThat(e.envelope().path("source").path("snapshot").asText()).isEqualTo("incremental"));
        assertThat(reads.stream().filter(e -> "r".equals(e.op())).collect(Collectors.groupingBy(ChangeEvent::topic, Collectors.counting())))
                .isEqualTo(Map.of(USERS, users, VIDEOS, videos));
        assertThat(reads).filteredOn(e -> "r".equals(e.op()) && e.topic().equals(USERS) && e.keyJson().elements().next().asText().equals("it-user-1"))
                .singleElement().satisfies(e -> assertThat(e.after().path("channel_name").asText()).isEqualTo("Renamed before the resnapshot"));
        keep("incremental-snapshot-user", reads.stream().filter(e -> "r".equals(e.op()) && e.topic().equals(USERS)).findFirst().orElseThrow());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long created(List<ChangeEvent> events, String idPrefix) {
        return events.stream().filter(e -> "c".equals(e.op()) && e.after().path("comment_id").asText().startsWith(idPrefix)).count();
    }

    private static Set<String> createdIds(List<ChangeEvent> events, String idPrefix) {
        return events.stream().filter(e -> "c".equals(e.op())).map(e -> e.after().path("comment_id").asText())
                .filter(id -> id.startsWith(idPrefix)).collect(Collectors.toSet());
    }

    /** Streamed events sent more than once whose copies differ in the row (before or after): the job could not absorb those. */
    private static List<String> resentWithAnotherRow(List<ChangeEvent> events) {
        return streamedByChange(events).entrySet().stream()
                .filter(entry -> entry.getValue().stream().map(e -> e.before().toString() + " " + e.after()).distinct().count() > 1)
                .map(Map.Entry::getKey).toList();
    }

    /** Streamed events (not the snapshot) seen more than once: same topic, key, operation and LSN. */
    private static List<String> duplicates(List<ChangeEvent> events) {
        return streamedByChange(events).entrySet().stream().filter(entry -> entry.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /** Streamed events (not the snapshot, no tombstones) by the change they carry: topic, key, operation and LSN. */
    private static Map<String, List<ChangeEvent>> streamedByChange(List<ChangeEvent> events) {
        return events.stream()
                .filter(e -> !e.tombstone() && !"r".equals(e.op()))
                .collect(Collectors.groupingBy(e -> e.topic() + " " + e.key() + " " + e.op() + " " + e.lsn()));
    }

    private static void insertComments(String idPrefix, int count) throws SQLException {
        try (Connection c = STACK.connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < count; i++) {
                s.execute("INSERT INTO comments (comment_id, video_id, channel_id, comment_text) VALUES ('" + idPrefix + i
                        + "', 'it-video-1', 'it-user-1', 'comment " + i + "')");
            }
        }
    }

    private static long confirmedFlushLsn() throws SQLException {
        return Long.parseLong(scalar("SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '0/0')::bigint FROM pg_replication_slots WHERE slot_name = 'dbserver_slot'"));
    }

    private static List<ChangeEvent> eventsOf(String topic, String id) {
        return topics.matching(e -> e.topic().equals(topic) && e.key() != null && e.keyJson().elements().next().asText().equals(id));
    }

    private static ChangeEvent first(Predicate<ChangeEvent> filter) {
        return topics.matching(filter).get(0);
    }

    private static void keep(String name, ChangeEvent event) {
        FIXTURES.put(name, event);
    }

    private static void writeFixtures(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, ChangeEvent> fixture : FIXTURES.entrySet()) {
            ChangeEvent event = fixture.getValue();
            ObjectNode node = JSON.createObjectNode();
            node.put("topic", event.topic());
            node.set("key", event.keyJson());
            node.set("value", event.tombstone() ? null : JSON.readTree(event.value()));
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(fixture.getKey() + ".json").toFile(), node);
        }
    }

    /** Incompressible text, so PostgreSQL stores it out of line (TOAST) rather than compressed inline. */
    private static String randomText(int length) {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(scalar("SELECT count(*) FROM " + table));
    }

    private static String scalar(String sql) throws SQLException {
        return strings(sql).get(0);
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection c = STACK.connect(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static void execute(String... sql) throws SQLException {
        try (Connection c = STACK.connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }
}
