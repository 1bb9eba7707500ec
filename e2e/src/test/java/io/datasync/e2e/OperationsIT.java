package io.datasync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.datasync.bench.SearchAvailability;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import io.datasync.testing.Shell;
import io.datasync.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipeline the way users run it: {@code make up} (PostgreSQL with generated data, Kafka,
 * Connect + Debezium, OpenSearch, the Flink session cluster and the job submitted with
 * {@code bin/flink run}) on a session cluster of two TaskManagers, {@code make status}, a savepoint
 * upgrade with {@code make upgrade} while changes stream in, and a change of parallelism across
 * savepoints (2 → 4 → 2), all judged by the verifier; then what an older history can do: indexes
 * written by a clock an hour ahead, a restore across changes that retention deleted (refused), a
 * replication slot lost, and the one recovery from both: {@code make reindex} under load.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {
    /** The rebuild's snapshot quiet shortened: the CI-sized incremental snapshot comes in a few seconds (30 s by default). */
    static final TestStack STACK = TestStack.create("ops").with("TASKMANAGERS", "2").with("REBUILD_SNAPSHOT_QUIET", "PT10S");
    static final SyncSpec SPEC = SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC);
    /** The fields the upgrade's plug-in adds; the verifier, knowing only the spec, leaves them out. */
    static final Set<String> PLUGIN_FIELDS = Set.of("comment_length", "word_count");

    /**
     * Not following the load here: the first test watches it on the status page, then follows it with make progress as
     * make up does. The job holds the snapshot's documents for 25 s after its last record (3 s by default), so that a
     * person, and the browser, can see the phase.
     */
    @BeforeAll
    static void up() {
        STACK.make("up", "SEED_COMMENTS=3000", "FOLLOW=no", "JOB_ARGS=--snapshot-quiet PT25S").orThrow();
    }

    @AfterAll
    static void down() {
        STACK.close();
    }

    @Test
    @Order(1)
    void makeUpEndsWithTheSnapshotSearchableAndMakeStatusSaysSo() throws Exception {
        // The status page while the job reads Debezium's snapshot: its documents held until all of it is read, then streaming.
        try (StatusPageBrowser page = new StatusPageBrowser()) {
            page.open(STACK.statusPageUrl() + "/?refresh=1");
            assertThat(page.await("#job-phase", text -> text.startsWith("reading the snapshot"), Duration.ofSeconds(90)))
                    .containsPattern("reading the snapshot \\([0-9,]+ changes read, [0-9,]+ documents held until it is all read\\)");
            page.screenshot(Path.of("target/status-page-reading-the-snapshot.png"));
            page.await("#job-phase", "streaming"::equals, Duration.ofSeconds(120));
        }
        Shell.Result progress = STACK.make("progress");
        assertThat(progress.exitCode()).as(progress.output()).isZero();
        assertThat(progress.output()).containsPattern("(?m)^loaded: every row is a searchable document in ");
        awaitNoDrift(Duration.ofSeconds(180));

        Shell.Result healthy = STACK.make("status");
        String status = healthy.output();
        // The generated comments include soft-deleted ones, which have no document.
        long live = Long.parseLong(PipelineChecks.scalar(STACK, "SELECT count(*) FROM comments WHERE deleted_at IS NULL"));
        assertThat(live).isBetween(2_900L, 2_999L);
        assertThat(healthy.exitCode()).as(status).isZero();
        assertThat(status).containsPattern("(?m)^postgres +up +.*comments 3,000")
                .containsPattern("(?m)^replication slot +active")
                .containsPattern("(?m)^connect +up +.*connector postgres-connector RUNNING, task 0 RUNNING")
                .containsPattern("(?m)^opensearch +up")
                .containsPattern("(?m)^flink +up +.*2 TaskManager")
                .containsPattern("(?m)^job +RUNNING")
                .containsPattern(String.format("(?m)^comments_index +in step +%,d rows / %,d documents", live, live));
        // make up started the status service: the same verdict for scripts, and gauges for Prometheus.
        com.fasterxml.jackson.databind.JsonNode api = PipelineChecks.get(STACK.statusPageUrl() + "/api/status");
        assertThat(api.path("healthy").asBoolean()).as(api.toString()).isTrue();
        assertThat(api.path("pipeline").path("openSearch").path("documents").path("comments_index").asLong()).isEqualTo(live);
        String metrics = PipelineChecks.text(STACK.statusPageUrl() + "/metrics");
        assertThat(metrics).contains("datasync_job_running 1.0").contains("datasync_index_documents{index=\"comments_index\",table=\"comments\"} " + live + ".0")
                .contains("datasync_slot_wal_status{slot=\"dbserver_slot\",wal_status=\"reserved\"} 1.0");
        assertThat(PipelineChecks.text(STACK.statusPageUrl() + "/")).contains("<title>data-sync-opensearch status</title>");

        // Every process's own metrics: Flink's (pushed to the Pushgateway), Kafka's and Connect's with Debezium's (the JMX
        // exporter's agent), all scraped by the Prometheus make up started.
        assertThat(PipelineChecks.text(STACK.metricsUrl("PUSHGATEWAY_PORT"))).contains("flink_taskmanager_job_task_operator_documentsWritten{")
                .contains("flink_taskmanager_job_task_operator_eventsIn{").contains("flink_taskmanager_Status_JVM_Memory_Heap_Used{")
                .contains("flink_jobmanager_numRegisteredTaskManagers{")
                // flink-conf leaves the Kafka client's own metrics out of the push (read by nothing, a fifth of the series).
                .doesNotContain("_KafkaSourceReader_KafkaConsumer_");
        assertThat(PipelineChecks.text(STACK.metricsUrl("KAFKA_METRICS_PORT"))).contains("kafka_server_brokertopicmetrics_messagesinpersec_total{topic=\"dbserver.public.comments\"}")
                .contains("jvm_memory_used_bytes{");
        assertThat(PipelineChecks.text(STACK.metricsUrl("CONNECT_METRICS_PORT")))
                .contains("debezium_metrics_RowsScanned{context=\"snapshot\",plugin=\"postgres\",server=\"dbserver\",table=\"public.comments\"} 3000.0")
                .contains("debezium_metrics_SnapshotCompleted{context=\"snapshot\",plugin=\"postgres\",server=\"dbserver\"} 1.0")
                .contains("debezium_metrics_MilliSecondsBehindSource{context=\"streaming\"");
        JsonNode targets = PipelineChecks.await(Duration.ofSeconds(60), () -> PipelineChecks.get(prometheus() + "/api/v1/targets"),
                answer -> answer.path("data").path("activeTargets").size() == 5
                        && answer.path("data").path("activeTargets").findValuesAsText("health").stream().allMatch("up"::equals));
        List<String> jobs = new java.util.ArrayList<>();
        targets.path("data").path("activeTargets").forEach(target -> jobs.add(target.path("labels").path("job").asText()));
        assertThat(jobs).containsExactlyInAnyOrder("data-sync-status", "flink", "kafka", "kafka-connect", "prometheus");
    }

    @Test
    @Order(2)
    void insertsUpdatesARenameAndACascadedDeleteFollow() throws Exception {
        String video = PipelineChecks.scalar(STACK, "SELECT video_id FROM comments GROUP BY video_id ORDER BY count(*) DESC, video_id LIMIT 1");
        String doomed = PipelineChecks.scalar(STACK, "SELECT video_id FROM videos WHERE video_id <> '" + video + "' ORDER BY video_id LIMIT 1");
        String user = PipelineChecks.scalar(STACK, "SELECT channel_id FROM users ORDER BY channel_id LIMIT 1");
        double writtenBefore = PipelineChecks.metricSum(PipelineChecks.text(STACK.metricsUrl("PUSHGATEWAY_PORT")),
                "flink_taskmanager_job_task_operator_documentsWritten");
        double streamedBefore = PipelineChecks.metricSum(PipelineChecks.text(STACK.metricsUrl("CONNECT_METRICS_PORT")),
                "debezium_metrics_TotalNumberOfEventsSeen{context=\"streaming\"");
        double inBefore = PipelineChecks.metricSum(PipelineChecks.text(STACK.metricsUrl("KAFKA_METRICS_PORT")),
                "kafka_server_brokertopicmetrics_messagesinpersec_total{topic=\"dbserver.public.comments\"}");
        PipelineChecks.execute(STACK,
                "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, likes, published_at) VALUES"
                        + " ('ops-c1', '" + video + "', '" + user + "', 'hello from the ops test', 3, now())",
                "UPDATE comments SET likes = likes + 1 WHERE video_id = '" + video + "'",
                "UPDATE videos SET title = 'Renamed by the ops test' WHERE video_id = '" + video + "'",
                "DELETE FROM videos WHERE video_id = '" + doomed + "'");

        awaitNoDrift(Duration.ofSeconds(90));
        assertThat(PipelineChecks.source(STACK, "comments_index", "ops-c1").path("video").path("title").asText()).isEqualTo("Renamed by the ops test");
        // The changes moved every process's metrics (Flink pushes every 10 s).
        PipelineChecks.await(Duration.ofSeconds(60), () -> PipelineChecks.metricSum(PipelineChecks.text(STACK.metricsUrl("PUSHGATEWAY_PORT")),
                "flink_taskmanager_job_task_operator_documentsWritten"), written -> written > writtenBefore);
        assertThat(PipelineChecks.metricSum(PipelineChecks.text(STACK.metricsUrl("CONNECT_METRICS_PORT")),
                "debezium_metrics_TotalNumberOfEventsSeen{context=\"streaming\"")).isGreaterThan(streamedBefore);
        assertThat(PipelineChecks.metricSum(PipelineChecks.text(STACK.metricsUrl("KAFKA_METRICS_PORT")),
                "kafka_server_brokertopicmetrics_messagesinpersec_total{topic=\"dbserver.public.comments\"}")).isGreaterThan(inBefore);

        // Every query of the shipped Grafana dashboard (Grafana itself runs in docker-compose) answers from this Prometheus.
        JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                STACK.root().resolve("monitoring/grafana/dashboards/data-sync-opensearch.json").toFile());
        List<String> queries = dashboard.findValuesAsText("expr");
        assertThat(queries).hasSizeGreaterThan(20);
        for (String query : queries) {
            try {
                PipelineChecks.await(Duration.ofSeconds(90), () -> PipelineChecks.get(prometheus() + "/api/v1/query?query="
                        + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)), answer -> {
                            assertThat(answer.path("status").asText()).as(query + ": " + answer).isEqualTo("success");
                            return answer.path("data").path("result").size() > 0;
                        });
            } catch (AssertionError e) {
                throw new AssertionError("the dashboard's query has no data in Prometheus: " + query + " (" + e.getMessage() + ")", e);
            }
        }
    }

    @Test
    @Order(3)
    void theStatusPageInABrowserShowsThePipelineAndATaskManagerKillUntilStreamingAgain() throws Exception {
        try (StatusPageBrowser page = new StatusPageBrowser()) {
            page.open(STACK.statusPageUrl() + "/?refresh=1");
            page.await("#verdict", text -> text.startsWith("Healthy"), Duration.ofSeconds(60));
            assertThat(page.text("#stage-postgres")).contains("PostgreSQL").containsPattern("comments: [0-9,]+ rows").contains("slot dbserver_slot: reserved");
            assertThat(page.text("#stage-debezium")).contains("connector postgres-connector RUNNING").containsPattern("streaming \\([0-9.]+ s behind\\)")
                    .contains("snapshot done: ");
            // The first checkpoint comes within the job's 60 s interval.
            assertThat(page.await("#stage-job", text -> text.contains("last checkpoint #"), Duration.ofSeconds(120))).contains("RUNNING")
                    .containsPattern("([0-9]+) of \\1 tasks running").containsPattern("Lookups and aggregates[^\\n]*: running").contains("Arrays: running")
                    .containsPattern("[0-9,]+ documents written since the job \\(re\\)started");
            assertThat(page.text("#stage-opensearch")).containsPattern("comments_index: ([0-9,]+) documents / \\1 rows");
            page.await("#freshness-latest", text -> text.startsWith("latest "), Duration.ofSeconds(30));
            page.screenshot(Path.of("target/status-page.png"));

            // A TaskManager killed: the page shows it missing and the job failing over (found within the 30 s heartbeat
            // timeout when the dead TaskManager held none of the job's network partners), then everything running.
            Shell.run(STACK.root(), STACK.environment(), 60, "bash", "stack/flink.sh", "crash-taskmanager", taskManagerOfTheJob()).orThrow();
            try {
                page.await("#verdict", text -> text.startsWith("Not healthy"), Duration.ofSeconds(90));
                page.await("#stage-job", text -> text.contains("1 of 2 TaskManagers"), Duration.ofSeconds(60));
            } finally {
                // The later tests need both TaskManagers (parallelism 4), whatever happened here.
                STACK.script(io.datasync.testing.TestStack.Service.FLINK, "start").orThrow();
            }
            page.await("#verdict", text -> text.startsWith("Healthy"), Duration.ofSeconds(180));
            assertThat(page.text("#stage-job")).contains("2 of 2 TaskManagers");
            assertThat(page.text("#stage-job")).doesNotContain("restoring state").doesNotContain("starting (");
            page.screenshot(Path.of("target/status-page-after-taskmanager-kill.png"));
        }
        awaitNoDrift(Duration.ofSeconds(120));
    }

    @Test
    @Order(4)
    void aSavepointUpgradeUnderLoadLosesNothingAndTheNewFieldIsFilledFromThenOn() throws Exception {
        String before = runningJob();
        BackgroundLoad load = new BackgroundLoad(STACK, 7, Duration.ofSeconds(20));
        Thread writer = new Thread(load, "change-load");
        writer.start();
        Thread.sleep(5_000);

        // The changed build: the same job with a transform plug-in (comment_length, word_count) on its classpath.
        Path plugin = STACK.root().resolve("transform-example/target/transform-example-0.1.0-SNAPSHOT.jar");
        assertThat(plugin).exists();
        Shell.Result upgrade = STACK.make("upgrade", "FLINK_RUN_OPTS=-C " + plugin.toUri());
        upgrade.orThrow();
        writer.join();

        String after = runningJob();
        assertThat(after).isNotEqualTo(before);
        assertThat(upgrade.output()).contains("stopped with savepoint").contains("RUNNING, restored from");
        try (var savepoints = Files.list(Path.of(STACK.environment().get("SAVEPOINT_DIR")))) {
            assertThat(savepoints.filter(p -> Files.exists(p.resolve("_metadata")))).isNotEmpty();
        }
        assertThat(load.applied()).isGreaterThan(100);
        awaitNoDrift(Duration.ofSeconds(120));

        // A row the load cannot have deleted: written after the upgrade, so its document carries the plug-in's fields.
        String video = PipelineChecks.scalar(STACK, "SELECT video_id FROM videos ORDER BY video_id LIMIT 1");
        String user = PipelineChecks.scalar(STACK, "SELECT channel_id FROM users ORDER BY channel_id LIMIT 1");
        PipelineChecks.execute(STACK, "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, published_at) VALUES"
                + " ('ops-after-upgrade', '" + video + "', '" + user + "', 'three more words', now())");
        awaitNoDrift(Duration.ofSeconds(60));
        JsonNode document = PipelineChecks.source(STACK, "comments_index", "ops-after-upgrade");
        assertThat(document.path("comment_text").asText()).isEqualTo("three more words");
        assertThat(document.path("word_count").asInt()).isEqualTo(3);
        assertThat(document.path("comment_length").asInt()).isEqualTo("three more words".length());
    }

    @Test
    @Order(5)
    void theParallelismChangesAcrossSavepointsUnderLoad2To4To2() throws Exception {
        Path plugin = STACK.root().resolve("transform-example/target/transform-example-0.1.0-SNAPSHOT.jar");
        for (int parallelism : new int[] {4, 2}) {
            String before = runningJob();
            BackgroundLoad load = new BackgroundLoad(STACK, 10 + parallelism, Duration.ofSeconds(15));
            Thread writer = new Thread(load, "change-load");
            writer.start();
            Thread.sleep(3_000);

            STACK.make("upgrade", "FLINK_RUN_OPTS=-C " + plugin.toUri(), "JOB_ARGS=--parallelism " + parallelism).orThrow();
            writer.join();

            String after = runningJob();
            assertThat(after).isNotEqualTo(before);
            // Every keyed operator runs at the new parallelism on the two TaskManagers (4 slots in all).
            for (JsonNode vertex : PipelineChecks.get(STACK.flinkUrl() + "/jobs/" + after).path("vertices")) {
                assertThat(vertex.path("parallelism").asInt()).as(vertex.path("name").asText()).isEqualTo(parallelism);
            }
            assertThat(load.applied()).isGreaterThan(100);
            awaitNoDrift(Duration.ofSeconds(120));
        }
    }

    @Test
    @Order(6)
    void makeStatusShowsAStoppedJob() throws Exception {
        STACK.make("stop-job").orThrow();

        Shell.Result stopped = STACK.make("status");
        assertThat(stopped.output()).containsPattern("(?m)^job +FINISHED").containsPattern("(?m)^flink +up");
        // A script or monitor sees it in the exit code, and in the JSON form.
        assertThat(stopped.exitCode()).as(stopped.output()).isNotZero();
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(STACK.make("-s", "status", "JSON=yes").output());
        assertThat(json.path("healthy").asBoolean(true)).isFalse();
        assertThat(json.findValuesAsText("state")).contains("FINISHED");
    }

    @Test
    @Order(7)
    void makeBenchRunsEveryBenchmarkAtTinyScaleAndFindsNoDrift() throws Exception {
        Path out = Path.of(STACK.environment().get("VAR_DIR"), "bench-results");
        // make bench exits non-zero when the verifier finds drift after any phase. It reloads the data set
        // it is given (the default is seed size), so this stack's size goes with it.
        STACK.make("bench", "SEED_COMMENTS=3000", "BENCH_OUT=" + out, "BENCH_ARGS=--rates 20 --side-by-side-rate 20 --phase PT6S --warm-up PT1S"
                + " --sweep-documents 1000 --timeout PT5M --long-window PT10S --long-rate 20 --reindex-rate 0").orThrow();

        String report = Files.readString(out.resolve("bench.md"));
        assertThat(report).contains("## Goals").contains("| 2. job: topics → three indexes |")
                .contains("| 3a. Debezium snapshot alone into fresh topics |").contains("| 5. plain consumer: same topics, bulk by primary key |")
                .containsPattern("\\| 20 \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+ \\| [1-9][0-9,]*( \\([^)]*\\))? \\| [0-9]+ / [0-9]+ / [0-9]+ / [0-9]+ \\|")
                .contains("| 20 plain consumer |").contains("counts equal the rows").doesNotContain("DRIFT")
                .contains("## Long window: PT10S at 20 changes/s").contains("## Costs per phase").contains("| job (TaskManager) |");
        assertThat(Files.readString(out.resolve("bench.json"))).contains("\"benchmark\" : \"bench\"").contains("\"goals\"");
        for (String chart : List.of("throughput.png", "freshness.png")) {
            byte[] png = Files.readAllBytes(out.resolve(chart));
            assertThat(png).as(chart).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(runningJob()).isNotBlank();
    }

    @Test
    @Order(8)
    void aJobStartedWithoutStateWritesAboveAnIndexWrittenByAClockAnHourAhead() throws Exception {
        STACK.make("stop-job").orThrow();
        // What a job whose clock ran an hour ahead would have left: every document at a version of an epoch
        // an hour above this machine's clock, and that epoch recorded by its sink.
        long recorded = 0;
        for (String index : SPEC.indexes().stream().map(SyncSpec.IndexSpec::concreteIndex).toList()) {
            recorded = Math.max(recorded, PipelineChecks.get(STACK.openSearchUrl() + "/data-sync-epochs/_doc/" + index).path("_version").asLong());
        }
        assertThat(recorded).as("the epoch the sink recorded").isPositive();
        long anHourAhead = Math.max(recorded, System.currentTimeMillis() / 1000 - 1_735_689_600L) + 3_600;
        for (String alias : List.of("comments_index", "videos_index", "users_index")) {
            HistoryFaults.rewriteAtEpoch(STACK.openSearchUrl(), alias, anHourAhead);
        }

        STACK.make("run-job", "FRESH=yes").orThrow();
        String user = PipelineChecks.scalar(STACK, "SELECT channel_id FROM comments GROUP BY channel_id ORDER BY count(*) DESC, channel_id LIMIT 1");
        PipelineChecks.execute(STACK, "UPDATE users SET channel_name = 'Renamed after the clock test' WHERE channel_id = '" + user + "'",
                "UPDATE comments SET likes = likes + 5 WHERE channel_id = '" + user + "'");

        // With the job's epoch taken from its clock, every write would be an older version, refused: the documents would not change.
        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(PipelineChecks.source(STACK, "users_index", user).path("channel_name").asText()).isEqualTo("Renamed after the clock test");
    }

    @Test
    @Order(9)
    void aRestoreAcrossChangesDeletedByRetentionIsRefusedNamingTheGap() throws Exception {
        STACK.make("stop-job").orThrow();
        String comment = PipelineChecks.scalar(STACK, "SELECT comment_id FROM comments WHERE deleted_at IS NULL ORDER BY comment_id LIMIT 1");
        long likesBefore = PipelineChecks.source(STACK, "comments_index", comment).path("likes").asLong();
        // Retention passing the savepoint's offset: a change after the savepoint, then every record up to the topic's end
        // deleted (what retention.ms does once they are old enough).
        HistoryFaults.expireHistoryAfterNextChange(STACK.kafkaBootstrap(), "dbserver.public.comments", () -> {
            try {
                PipelineChecks.execute(STACK, "UPDATE comments SET likes = 424242 WHERE comment_id = '" + comment + "'");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(60));

        Shell.Result restore = STACK.make("run-job");
        assertThat(restore.exitCode()).as(restore.output()).isNotZero();
        // The topic has three partitions: the one the changed comment went to has lost a change the savepoint had not read.
        assertThat(restore.output()).contains("refusing to restore").containsPattern("dbserver.public.comments partition [0-2]: the job would resume at")
                .contains("1 change(s) were deleted by retention").contains("make reindex");
        Shell.Result fresh = STACK.make("run-job", "FRESH=yes");
        assertThat(fresh.exitCode()).as(fresh.output()).isNotZero();
        assertThat(fresh.output()).contains("refusing to start without state").containsPattern("dbserver.public.comments partition [0-2]: the job would read from offset 0");

        // Nothing ran, nothing was written.
        assertThat(STACK.make("status").output()).doesNotContainPattern("(?m)^job +RUNNING");
        assertThat(PipelineChecks.source(STACK, "comments_index", comment).path("likes").asLong()).isEqualTo(likesBefore);
    }

    @Test
    @Order(10)
    void aLostSlotIsShownAndMakeReindexUnderLoadRebuildsWhatTheLostHistoryAndSlotLeftWhileSearchKeepsAnswering() throws Exception {
        // The history is lost (order 8); now the slot too: changes Debezium never reads, made while Connect is down.
        STACK.stop(io.datasync.testing.TestStack.Service.CONNECT);
        String video = PipelineChecks.scalar(STACK, "SELECT video_id FROM comments GROUP BY video_id ORDER BY count(*) DESC, video_id LIMIT 1");
        String renamed = PipelineChecks.scalar(STACK, "SELECT channel_id FROM users ORDER BY channel_id LIMIT 1");
        PipelineChecks.execute(STACK, "DELETE FROM videos WHERE video_id = '" + video + "'",
                "UPDATE users SET channel_name = 'Renamed while the slot was lost' WHERE channel_id = '" + renamed + "'");
        StringBuilder seen = new StringBuilder();
        try (java.sql.Connection admin = STACK.connectAsAdmin(); java.sql.Statement sql = admin.createStatement()) {
            sql.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
            sql.execute("SELECT pg_reload_conf()");
            for (int round = 0; round < 10 && !seen.toString().contains("WAL LOST"); round++) {
                sql.execute("UPDATE debezium_heartbeat SET beat_at = now()");
                sql.execute("SELECT pg_switch_wal()");
                seen.append(STACK.make("status").output());
                sql.execute("CHECKPOINT");
                seen.append(STACK.make("status").output());
            }
            sql.execute("ALTER SYSTEM RESET max_slot_wal_keep_size");
            sql.execute("SELECT pg_reload_conf()");
        }
        assertThat(seen.toString()).containsPattern("(?m)^replication slot +(unreserved|lost) .*WAL (UNRESERVED|LOST)")
                .contains("make recover-slot");
        STACK.start(io.datasync.testing.TestStack.Service.CONNECT);
        Shell.Result recovered = STACK.make("recover-slot");
        assertThat(recovered.exitCode()).as(recovered.output()).isZero();
        assertThat(recovered.output()).contains("WAL LOST").contains("RUNNING with a new slot");

        // The recovery documented for both: make reindex, here under a mixed load of 150 changes/s (make bench-reindex runs
        // it at 300/s on the seed-size data). The CI-sized data has 26 videos: the mix deletes one per 1,000 changes, which
        // would soon empty the catalogue and pile every new comment onto the last few videos (each rename then rewrites
        // thousands of documents).
        PipelineChecks.execute(STACK, "INSERT INTO videos (video_id, title, category) SELECT 'ops-video-' || n, 'Video ' || n, 'Education'"
                + " FROM generate_series(1, 500) AS n");
        String beforeTruncate = PipelineChecks.scalar(STACK, "SELECT comment_id FROM comments ORDER BY comment_id LIMIT 1");
        BackgroundLoad load = new BackgroundLoad(STACK, 9, Duration.ofMinutes(10), 150);
        Thread writer = new Thread(load, "change-load");
        writer.start();
        // A delete and a truncate while the rebuild reads the tables: the new indexes must not bring their rows back.
        String doomed = PipelineChecks.scalar(STACK, "SELECT video_id FROM comments GROUP BY video_id ORDER BY count(*) DESC, video_id LIMIT 1");
        Thread deleter = new Thread(() -> {
            try {
                Thread.sleep(15_000);
                PipelineChecks.execute(STACK, "DELETE FROM videos WHERE video_id = '" + doomed + "'");
                Thread.sleep(5_000);
                PipelineChecks.execute(STACK, "TRUNCATE comments",
                        "INSERT INTO comments (comment_id, video_id, channel_id, comment_text, published_at) SELECT 'after-truncate', video_id, '"
                                + renamed + "', 'written after the truncate', now() FROM videos ORDER BY video_id LIMIT 1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "deletes-during-rebuild");
        deleter.start();
        Shell.Result reindex;
        List<SearchAvailability.Result> searches;
        try (SearchAvailability search = new SearchAvailability(STACK.openSearchUrl(), List.of("comments_index", "videos_index", "users_index"),
                Duration.ofMillis(50))) {
            reindex = STACK.make(Duration.ofMinutes(10), "reindex", "CONFIRM=yes");
            searches = search.results();
            // Its steps and their times, in the build's log.
            System.out.println(reindex.output());
        } finally {
            load.stop();
            writer.join();
            deleter.join();
        }

        assertThat(reindex.exitCode()).as(reindex.output()).isZero();
        assertThat(reindex.output()).contains("no job serves the current indexes").contains("incremental snapshot completed")
                .contains("aliases moved in").contains("re-indexed in").contains("deleted " + SPEC.indexes().stream().map(SyncSpec.IndexSpec::concreteIndex).toList());
        // A query on each alias every 50 ms through the whole rebuild and swap: never an error, never an empty answer.
        assertThat(searches).allSatisfy(result -> assertThat(result.alwaysAnswered()).as(result + " " + result.firstProblems()).isTrue());
        for (String alias : List.of("comments_index", "videos_index", "users_index")) {
            assertThat(PipelineChecks.get(STACK.openSearchUrl() + "/_alias/" + alias).fieldNames().next())
                    .matches(SPEC.index(alias).concreteIndex() + "_[0-9]{8}-[0-9]{6}");
            // Built with bulk-loading settings, served with the mapping file's own: refreshed every second, every write durable.
            JsonNode settings = PipelineChecks.get(STACK.openSearchUrl() + "/" + alias + "/_settings?flat_settings=true")
                    .elements().next().path("settings");
            assertThat(settings.path("index.refresh_interval").asText()).as(alias).isEqualTo("1s");
            assertThat(settings.path("index.translog.durability").asText("request")).as(alias).isEqualTo("request");
        }
        assertThat(load.applied()).isGreaterThan(1_000);
        awaitNoDrift(Duration.ofSeconds(120));
        assertThat(PipelineChecks.count(STACK, "comments_index")).isEqualTo(Long.parseLong(PipelineChecks.scalar(STACK, "SELECT count(*) FROM comments WHERE deleted_at IS NULL")));
        // No ghosts: neither the video deleted while the slot was lost, nor the one deleted during the rebuild, nor a comment truncated.
        for (String gone : List.of("/videos_index/_doc/" + video, "/videos_index/_doc/" + doomed, "/comments_index/_doc/" + beforeTruncate)) {
            assertThat(PipelineChecks.get(STACK.openSearchUrl() + gone).path("found").asBoolean()).as(gone).isFalse();
        }
        assertThat(PipelineChecks.source(STACK, "comments_index", "after-truncate").path("comment_text").asText()).isEqualTo("written after the truncate");
        // The load renames users too: the document must hold what the table holds now, not the name from before the slot was lost.
        assertThat(PipelineChecks.source(STACK, "users_index", renamed).path("channel_name").asText())
                .isEqualTo(PipelineChecks.scalar(STACK, "SELECT channel_name FROM users WHERE channel_id = '" + renamed + "'"));
        String status = STACK.make("status").output();
        assertThat(status).containsPattern("(?m)^job +RUNNING").containsPattern("(?m)^replication slot +active .*WAL reserved");
    }

    /** The number stack/flink.sh gives the TaskManager running the job's first operator (its resource id: taskmanager, taskmanager-2, …). */
    private static String taskManagerOfTheJob() throws Exception {
        String job = runningJob();
        String vertex = PipelineChecks.get(STACK.flinkUrl() + "/jobs/" + job).path("vertices").get(0).path("id").asText();
        String id = PipelineChecks.get(STACK.flinkUrl() + "/jobs/" + job + "/vertices/" + vertex + "/taskmanagers").path("taskmanagers").get(0)
                .path("taskmanager-id").asText();
        return id.equals("taskmanager") ? "1" : id.substring("taskmanager-".length());
    }

    private static String prometheus() {
        return "http://127.0.0.1:" + STACK.environment().get("PROMETHEUS_PORT");
    }

    private static String runningJob() throws Exception {
        for (JsonNode job : PipelineChecks.get(STACK.flinkUrl() + "/jobs/overview").path("jobs")) {
            if ("RUNNING".equals(job.path("state").asText())) {
                return job.path("jid").asText();
            }
        }
        throw new AssertionError("no running job on " + STACK.flinkUrl());
    }

    private static void awaitNoDrift(Duration timeout) throws Exception {
        PipelineChecks.awaitNoDrift(STACK, SPEC, PLUGIN_FIELDS, timeout, () -> runningJob());
    }
}
