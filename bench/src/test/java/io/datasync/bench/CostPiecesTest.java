package io.datasync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure pieces of issue 13's measurements: /proc, GC log and checkpoint parsing, the arithmetic, the report. */
class CostPiecesTest {
    // Real lines of JDK 17's -Xlog:gc:file=…:time,uptimemillis (G1 unless said otherwise).
    private static final String YOUNG = "[2026-11-30T23:29:28.650+0000][227ms] GC(0) Pause Young (Normal) (G1 Evacuation Pause)"
            + " 24M->4M(128M) 2.354ms";
    private static final String CONCURRENT_START = "[2026-11-30T23:29:28.840+0000][417ms] GC(4) Pause Young (Concurrent Start)"
            + " (G1 Humongous Allocation) 72M->28M(128M) 14.027ms";
    private static final String MIXED = "[2026-11-30T23:38:57.433+0000][404ms] GC(7) Pause Young (Mixed) (G1 Evacuation Pause)"
            + " 14M->14M(37M) 2.228ms";
    private static final String REMARK = "[2026-11-30T23:29:29.027+0000][605ms] GC(75) Pause Remark 80M->66M(128M) 0.437ms";
    private static final String CLEANUP = "[2026-11-30T23:29:29.028+0000][605ms] GC(75) Pause Cleanup 66M->66M(128M) 0.042ms";
    private static final String FULL = "[2026-11-30T23:38:53.312+0000][1800ms] GC(554) Pause Full (G1 Compaction Pause)"
            + " 61M->20M(64M) 4.007ms";
    private static final String PARALLEL_YOUNG = "[2026-11-30T23:29:34.531+0000][688ms] GC(0) Pause Young (Allocation Failure)"
            + " 32M->7M(123M) 121.100ms";
    private static final String PARALLEL_FULL = "[2026-11-30T23:29:35.541+0000][1699ms] GC(29) Pause Full (Ergonomics)"
            + " 107M->46M(119M) 38.889ms";
    private static final List<String> NOT_PAUSES = List.of(
            "[2026-11-30T23:29:28.435+0000][12ms] Using G1",
            "[2026-11-30T23:29:29.017+0000][594ms] GC(75) Concurrent Mark Cycle",
            "[2026-11-30T23:29:29.035+0000][612ms] GC(75) Concurrent Mark Cycle 17.833ms",
            "[2026-11-30T23:29:28.811+0000][388ms] GC(3) Concurrent Undo Cycle 7.840ms",
            "[2026-11-30T23:38:57.516+0000][487ms] GC(30) To-space exhausted");

    @Test
    void processCpuIsUserPlusSystemTicksCountedAfterTheCommand() {
        String java = "10289 (java) S 1 10289 10289 0 -1 4194304 135672 0 0 0 5624 223 0 0 20 0 50 0 92301 3782782976 118740"
                + " 18446744073709551615 93907406286848 93907406287733 140721017931920 0 0 0 0 3 16800972 0 0 0 17 1 0 0 0 0 0";
        String oddName = "42 (a) b c) R 1 42 42 0 -1 4194304 100 0 0 0 7 3 0 0 20 0 1 0 114500 3133440 359";

        assertThat(ProcessCpu.ticks(java)).isEqualTo(5624 + 223);
        assertThat(ProcessCpu.ticks(oddName)).isEqualTo(10);
        assertThat(ProcessCpu.ticks(ProcessHandle.current().pid())).isPresent();
        assertThat(ProcessCpu.ticks(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void gcPauseLinesGiveTheirEndKindAndLength() {
        assertThat(GcLog.parse(YOUNG)).contains(
                new GcLog.Pause(Instant.parse("2026-11-30T23:29:28.650Z"), "Pause Young (Normal) (G1 Evacuation Pause)", 2.354));
        assertThat(GcLog.parse(CONCURRENT_START).orElseThrow().millis()).isEqualTo(14.027);
        assertThat(GcLog.parse(MIXED).orElseThrow().kind()).isEqualTo("Pause Young (Mixed) (G1 Evacuation Pause)");
        assertThat(GcLog.parse(REMARK).orElseThrow().kind()).isEqualTo("Pause Remark");
        assertThat(GcLog.parse(CLEANUP).orElseThrow().millis()).isEqualTo(0.042);
        assertThat(GcLog.parse(FULL).orElseThrow().kind()).isEqualTo("Pause Full (G1 Compaction Pause)");
        assertThat(GcLog.parse(PARALLEL_YOUNG).orElseThrow().millis()).isEqualTo(121.1);
        assertThat(GcLog.parse(PARALLEL_FULL).orElseThrow().kind()).isEqualTo("Pause Full (Ergonomics)");
        assertThat(GcLog.parse(YOUNG.replace("2026-11-30T23:29:28.650+0000", "2026-12-01T00:29:28.650+0100")).orElseThrow().end())
                .as("local time with its offset").isEqualTo(Instant.parse("2026-11-30T23:29:28.650Z"));
        NOT_PAUSES.forEach(line -> assertThat(GcLog.parse(line)).as(line).isEmpty());
        assertThat(GcLog.parse(YOUNG.substring(YOUNG.indexOf("GC(")))).as("no time decoration").isEmpty();
    }

    @Test
    void aPhaseCountsThePausesThatEndedInItsWindow() {
        List<GcLog.Pause> pauses = Stream.of(YOUNG, CONCURRENT_START, REMARK, CLEANUP, FULL).map(line -> GcLog.parse(line).orElseThrow())
                .toList();

        GcLog.Pauses phase = GcLog.Pauses.within(pauses, Instant.parse("2026-11-30T23:29:28.700Z"), Instant.parse("2026-11-30T23:29:30Z"));

        assertThat(phase.count()).isEqualTo(3);
        assertThat(phase.totalMillis()).isCloseTo(14.027 + 0.437 + 0.042, Offset.offset(1e-9));
        assertThat(phase.longestMillis()).isEqualTo(14.027);
        assertThat(phase.longestKind()).isEqualTo("Pause Young (Concurrent Start) (G1 Humongous Allocation)");
        assertThat(GcLog.Pauses.within(pauses, Instant.parse("2027-01-01T00:00:00Z"), Instant.parse("2027-01-02T00:00:00Z")))
                .isEqualTo(new GcLog.Pauses(0, 0, 0, null));
    }

    @Test
    void theLogIsReadWithItsRotatedFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("taskmanager-gc.log.0"), String.join("\n", YOUNG, NOT_PAUSES.get(0), REMARK) + "\n");
        Files.writeString(dir.resolve("taskmanager-gc.log"), FULL + "\n");
        Files.writeString(dir.resolve("taskmanager-gc.log.other"), YOUNG + "\n");
        Files.writeString(dir.resolve("jobmanager-gc.log"), YOUNG + "\n");

        assertThat(GcLog.read(dir.resolve("taskmanager-gc.log"))).extracting(GcLog.Pause::millis)
                .containsExactlyInAnyOrder(2.354, 0.437, 4.007);
        assertThat(GcLog.read(dir.resolve("missing/taskmanager-gc.log"))).isEmpty();
    }

    @Test
    void checkpointsComeFromTheHistoryAndTheLatestCompletedWithoutSavepoints() throws Exception {
        String answer = """
                {"counts":{"restored":0,"total":4,"in_progress":1,"completed":2,"failed":1},
                 "latest":{"completed":{"className":"completed","id":1,"status":"COMPLETED","is_savepoint":false,
                   "trigger_timestamp":1000,"latest_ack_timestamp":1900,"checkpointed_size":5000,"state_size":90000,
                   "end_to_end_duration":900}},
                 "history":[
                   {"className":"in_progress","id":4,"status":"IN_PROGRESS","is_savepoint":false,"trigger_timestamp":4000,
                    "checkpointed_size":0,"state_size":0,"end_to_end_duration":100},
                   {"className":"failed","id":3,"status":"FAILED","is_savepoint":false,"trigger_timestamp":3000,
                    "checkpointed_size":0,"state_size":0,"end_to_end_duration":600000},
                   {"className":"completed","id":2,"status":"COMPLETED","is_savepoint":true,"trigger_timestamp":2000,
                    "checkpointed_size":80000,"state_size":80000,"end_to_end_duration":5000}]}""";

        List<FlinkCheckpoints.Checkpoint> parsed = FlinkCheckpoints.parse("j1", new ObjectMapper().readTree(answer));

        assertThat(parsed).extracting(FlinkCheckpoints.Checkpoint::id).containsExactly(4L, 3L, 1L);
        assertThat(parsed.get(2)).isEqualTo(new FlinkCheckpoints.Checkpoint("j1", 1, "COMPLETED", 1000, 5000, 90000, 900));
    }

    @Test
    void aRealFlinkAnswerGivesEveryCheckpointOnceRemembered() throws Exception {
        // GET /jobs/<id>/checkpoints of Flink 1.20.3 running the sync job at tiny scale (changelog backend); "tasks" left out.
        var answer = new ObjectMapper().readTree(getClass().getResourceAsStream("/flink-1.20-checkpoints.json"));

        Map<Long, FlinkCheckpoints.Checkpoint> byId = new java.util.TreeMap<>();
        FlinkCheckpoints.parse("74d1", answer).forEach(c -> byId.put(c.id(), c));

        assertThat(byId).containsOnlyKeys(1L, 2L, 3L, 4L);
        assertThat(byId.get(2L))
                .isEqualTo(new FlinkCheckpoints.Checkpoint("74d1", 2, "COMPLETED", 1796083534916L, 8619737, 12224735, 26294));
        FlinkCheckpoints.Summary all = FlinkCheckpoints.Summary.of(byId.values(), 0, Long.MAX_VALUE, Set.of("74d1"), 5375);
        assertThat(all).isEqualTo(new FlinkCheckpoints.Summary(4, 0, 8619737, 26294, 10600401L, 5375, 10600401 / 5375.0));
    }

    @Test
    void aPhaseSummaryTakesItsCheckpointsByTriggerTimeAndTheLatestStateOfTheRunningJob() {
        List<FlinkCheckpoints.Checkpoint> seen = List.of(
                new FlinkCheckpoints.Checkpoint("old", 7, "COMPLETED", 500, 9_000, 1_000_000, 20_000),
                new FlinkCheckpoints.Checkpoint("j1", 1, "COMPLETED", 1000, 5_000, 90_000, 900),
                new FlinkCheckpoints.Checkpoint("j1", 2, "COMPLETED", 2000, 7_000, 100_000, 1_500),
                new FlinkCheckpoints.Checkpoint("j1", 3, "FAILED", 3000, 0, 0, 600_000),
                new FlinkCheckpoints.Checkpoint("j1", 4, "IN_PROGRESS", 4000, 0, 0, 100));

        FlinkCheckpoints.Summary phase = FlinkCheckpoints.Summary.of(seen, 900, 4500, Set.of("j1"), 50);

        assertThat(phase).isEqualTo(new FlinkCheckpoints.Summary(2, 1, 7_000, 1_500, 100_000L, 50, 2000.0));
        assertThat(FlinkCheckpoints.Summary.of(seen, 5000, 6000, Set.of("j2"), 50))
                .isEqualTo(new FlinkCheckpoints.Summary(0, 0, 0, 0, null, 50, null));
    }

    @Test
    void cpuIsPerThousandDocumentsAndChangesWhenThereAreAny() {
        GcLog.Pauses gc = new GcLog.Pauses(2, 30, 20, "Pause Young (Normal) (G1 Evacuation Pause)");

        PhaseCosts.Process job = PhaseCosts.Process.of("job", 12.5, 50_000, 10_000L, 2_048_000, gc);
        PhaseCosts.Process idle = PhaseCosts.Process.of("job", 0.4, 0, null, 1024, null);
        PhaseCosts.Process gone = PhaseCosts.Process.of("baseline", null, 1000, 1000L, 0, null);

        assertThat(job).isEqualTo(new PhaseCosts.Process("job", 12.5, 50_000, 0.25, 1.25, 2000, gc));
        assertThat(idle.cpuSecondsPer1000Documents()).isNull();
        assertThat(idle.cpuSecondsPer1000Changes()).isNull();
        assertThat(gone.cpuSecondsPer1000Documents()).isNull();
    }

    @Test
    void theCostTablesPutTheTaskManagerBesideThePlainConsumer() {
        long mib = 1024 * 1024;
        FlinkCheckpoints.Summary checkpoints = new FlinkCheckpoints.Summary(1, 0, 15 * mib, 1_500, 1024 * mib, 895_837, 1198.6);
        GcLog.Pauses gc = new GcLog.Pauses(40, 800, 95.5, "Pause Young (Normal) (G1 Evacuation Pause)");
        PhaseCosts phase = new PhaseCosts("side by side at 1000/s", 60.0, 60_000L, List.of(
                PhaseCosts.Process.of(Freshness.JOB_TARGET, 30.0, 240_000, 60_000L, 8 * mib, gc),
                PhaseCosts.Process.of(Baseline.TARGET, 3.0, 60_000, 60_000L, 300 * 1024, null)), checkpoints);

        String report = CostsReport.markdown(List.of(phase));

        assertThat(report)
                .contains("| side by side at 1000/s | job (TaskManager) | 60.0 | 240,000 | 30.0 | 0.125 | 0.500 | 8,192 | 40 | 800"
                        + " | 95.5 (Young) |")
                .contains("| side by side at 1000/s | plain consumer | 60.0 | 60,000 | 3.0 | 0.050 | 0.050 | 300 | no GC log | – | – |")
                .contains("| side by side at 1000/s | 1 (0) | 15.0 | 1.5 | 1,024.0 | 895,837 | 1,199 |");
        assertThat(CostsReport.markdown(null)).isEmpty();
        assertThat(CostsReport.gc(new GcLog.Pauses(0, 0, 0, null))).isEqualTo("0 | 0 | –");
    }

    @Test
    void theChangeLoadAndTheProbeDoNotDependOnTheJobsCode() throws Exception {
        Path bench = Path.of("src/main/java/io/datasync/bench");
        Path changes = Path.of("../postgres/src/main/java/io/datasync/postgres/changes");
        List<Path> sources = new ArrayList<>(Stream.of("DocumentProbe", "Freshness", "OpenSearchRest", "PlainConsumer", "PlainConsumerProcess")
                .map(name -> bench.resolve(name + ".java")).toList());
        try (Stream<Path> load = Files.list(changes)) {
            load.forEach(sources::add);
        }

        assertThat(sources).hasSizeGreaterThan(5)
                // Only the settings every tool reads (issue 15): none of the job's data path.
                .allSatisfy(source -> assertThat(Files.readString(source).replace("import io.datasync.job.sink.OpenSearchSettings;", ""))
                        .as(source.toString()).doesNotContain("io.datasync.job"));
        assertThat(Files.readString(changes.resolve("ChangeMix.java")))
                .as("the mix renames videos: a fan-out to every comment of the video")
                .contains("VIDEO_RENAME").contains("UPDATE videos SET title");
    }

    @Test
    void thePlainConsumerRunsAsItsOwnProcessWithAGcLogAndEndsWithItsInput(@TempDir Path dir) throws Exception {
        Path gcLog = dir.resolve("plain-consumer-gc.log");
        Files.writeString(dir.resolve("plain-consumer-gc.log.0"), "an old run's log\n");
        PlainConsumerProcess consumer = PlainConsumerProcess.start("127.0.0.1:1", "g", List.of(new PlainConsumer.Route("t", "i", "k")),
                "http://127.0.0.1:1", gcLog);
        long pid = consumer.pid();

        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(ProcessCpu.ticks(pid)).isPresent();
        assertThat(consumer.records()).isZero();
        consumer.close();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Files.readString(gcLog)).contains("Using G1");
        assertThat(dir.resolve("plain-consumer-gc.log.0")).doesNotExist();
    }

    @Test
    void benchMdShowsTheLongWindowAndTheCostsAndReadsRunsFromBeforeThem() throws Exception {
        PhaseCosts load = new PhaseCosts("job throughput: topics → indexes", 120.0, null,
                List.of(PhaseCosts.Process.of(Freshness.JOB_TARGET, 240.0, 895_837, null, 1024 * 1024, null)), null);
        FullBenchmark.LongWindow window = new FullBenchmark.LongWindow("PT12M", rate(1000), Map.of("comments_index", 500_000L),
                Map.of("comments_index", 420_000L));
        FullBenchmark.Outcome run = outcome(window, List.of(load));

        String report = BenchReport.markdown(run, 1000, Map.of());
        // The row shape OperationsIT checks at tiny scale.
        Pattern jobRow = Pattern.compile("\\| 1,000 job \\| [0-9,]+ \\| [0-9,]+ \\| [0-9.]+ \\| [1-9][0-9,]* \\|"
                + " [0-9]+ / [0-9]+ / [0-9]+ / [0-9]+ \\|");
        assertThat(report).contains("## Long window: PT12M at 1,000 changes/s").containsPattern(jobRow)
                .contains("| 1,000 plain consumer | 990 | 60,000 | 1.00 |").contains("comments_index 500,000 → 420,000")
                .contains("| job throughput: topics → indexes | job (TaskManager) | 120.0 | 895,837 | 240.0 | 0.268 |");

        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        assertThat(json.readValue(json.writeValueAsString(run), FullBenchmark.Outcome.class)).as("bench report reads bench.json back")
                .isEqualTo(run);
        ObjectNode before = json.valueToTree(outcome(null, null));
        before.remove(List.of("longWindow", "costs"));
        String old = BenchReport.markdown(json.treeToValue(before, FullBenchmark.Outcome.class), 1000, Map.of());
        assertThat(old).contains("## Side by side").doesNotContain("## Long window").doesNotContain("## Costs");
    }

    @Test
    void theGoalsOfIssue13AreCheckedFromTheSameRunAndWhatWasNotMeasuredIsNotMet() {
        PhaseCosts jobLoad = new PhaseCosts(JobThroughput.PHASE, 120.0, null,
                List.of(PhaseCosts.Process.of(Freshness.JOB_TARGET, 240.0, 895_837, null, 2_900L * 1024, null)),
                new FlinkCheckpoints.Summary(2, 0, 10_000_000, 12_500, 900_000_000L, 895_837, 1004.6));
        PhaseCosts plainLoad = new PhaseCosts(Baseline.PHASE, 37.9, null,
                List.of(PhaseCosts.Process.of(Baseline.TARGET, 60.0, 895_837, null, 700L * 1024, null)), null);
        FullBenchmark.LongWindow window = new FullBenchmark.LongWindow("PT12M", rate(1000), Map.of(), Map.of());

        List<BenchReport.Goal> goals = BenchReport.goalsOfIssue13(outcome(window, List.of(jobLoad, plainLoad)));

        // ceiling 41,093 docs/s, job 7,236, plain consumer 23,637; CPU 0.268 vs 0.067 s per 1,000; searchable p99 3.4 s, max 5.1 s.
        assertThat(goals).extracting(BenchReport.Goal::measured).containsExactly("0.18 ×", "0.31 ×",
                "4.00 × (0.27 vs 0.07 CPU s per 1,000)", "p99 3.4 s, max 5.1 s", "2,000/s not run", "2,900 MiB", "longest 12.5 s");
        assertThat(goals).extracting(BenchReport.Goal::met).containsExactly(false, false, false, false, false, true, false);

        List<BenchReport.Goal> unmeasured = BenchReport.goalsOfIssue13(outcome(null, null));
        assertThat(unmeasured).extracting(BenchReport.Goal::measured).contains("not measured", "not run");
        assertThat(unmeasured).extracting(BenchReport.Goal::met).containsOnly(false);
        assertThat(BenchReport.markdown(outcome(window, List.of(jobLoad, plainLoad)), 1000, Map.of()))
                .contains("## Goals of issue 13").contains("| TaskManager peak RSS ≤ 3 GB | 2,900 MiB | yes |");
    }

    @Test
    void theDriftGoalNamesThePhasesWithDriftAndAFailedReindexApart() {
        ReindexBenchmark.Result failedReindex = new ReindexBenchmark.Result(100, 99.0, 150_000, Map.of(), 40, 1461.7, List.of(), true,
                "make reindex failed (exit 2)");
        Map<String, Boolean> noDrift = new LinkedHashMap<>(Map.of("job throughput", true));
        noDrift.put("freshness at 500/s", false);

        assertThat(BenchReport.driftVerdict(outcome(null, null, Map.of("job throughput", true), null))).isEqualTo("no drift");
        assertThat(BenchReport.driftVerdict(outcome(null, null, Map.of("job throughput", true), failedReindex)))
                .isEqualTo("the re-index failed (see its section)");
        assertThat(BenchReport.driftVerdict(outcome(null, null, noDrift, failedReindex)))
                .isEqualTo("DRIFT in freshness at 500/s; the re-index failed (see its section)");
    }

    private static FullBenchmark.Outcome outcome(FullBenchmark.LongWindow longWindow, List<PhaseCosts> costs) {
        return outcome(longWindow, costs, Map.of("job throughput", true), null);
    }

    private static FullBenchmark.Outcome outcome(FullBenchmark.LongWindow longWindow, List<PhaseCosts> costs, Map<String, Boolean> noDrift,
            ReindexBenchmark.Result reindex) {
        Ceiling.Run full = new Ceiling.Run(5000, 2, 895_837, 21.8);
        Map<String, Long> rows = Map.of("comments_index", 500_000L);
        return new FullBenchmark.Outcome(new Ceiling.Result(List.of(full), full, rows), new Snapshot.DebeziumAlone(895_837, 10.6),
                new Snapshot.EndToEnd(895_837, 142.1, 20.0, Map.of("flink-taskmanager", 8000L), true),
                new JobThroughput.Result(895_837, 123.8, 30.0, rows, true), new Baseline.Result(895_837, 895_837, true, 37.9),
                rate(1000), List.of(rate(500)), noDrift, longWindow, costs, reindex);
    }

    private static Freshness.RateResult rate(int rate) {
        Map<String, Latency> latency = Map.of(Freshness.JOB_TARGET, new Latency(3000, 1200, 2500, 3400, 5100),
                Baseline.TARGET, new Latency(3000, 900, 1500, 2000, 2600));
        return new Freshness.RateResult(rate, rate * 0.99, rate * 60L, 3.9, 3000, 0, 0, latency, latency,
                Map.of(Freshness.JOB_TARGET, rate * 60L * 39 / 10, Baseline.TARGET, rate * 60L), null);
    }
}
