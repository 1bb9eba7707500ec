package io.datasync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.testing.Shell;
import io.datasync.testing.TestStack;
import io.datasync.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CI-sized {@code make chaos}: every fault on a small native stack under load, each judged by
 * the verifier; then what that run left behind is searched for its passwords, and every
 * process of the stack must listen on 127.0.0.1 only.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {
    /** Passed as the job's OpenSearch credentials (sent on every request; this OpenSearch has no security plugin and accepts them). */
    static final String SECRET = "chaos-secret-" + UUID.randomUUID();
    /** PostgreSQL's password: the database, Debezium, the change load and the verifier all use it. */
    static final String PG_SECRET = "pg-secret-" + UUID.randomUUID();
    static final TestStack STACK = TestStack.create("chaos")
            .with("OPENSEARCH_USERNAME", "chaos-user")
            .with("OPENSEARCH_PASSWORD", SECRET)
            .with("PGPASSWORD", PG_SECRET)
            // Frequent checkpoints: the small snapshot must see one before the TaskManager is killed.
            .with("JOB_ARGS", "--checkpoint-interval PT2S");
    static Path results;

    @BeforeAll
    static void up() throws Exception {
        results = Path.of(STACK.environment().get("VAR_DIR"), "chaos-results");
    }

    @AfterAll
    static void down() {
        STACK.close();
    }

    @Test
    @Order(1)
    void makeChaosRunsEveryFaultAndNoneLosesDuplicatesResurrectsOrStalesADocument() throws Exception {
        // Every kind of fault once: the TaskManager killed mid-snapshot stands in for the kills while streaming and
        // after a long load (the same kill and restore, which only a seed-size make chaos makes long).
        Shell.Result run = STACK.make(Duration.ofMinutes(45), "chaos", "SEED_COMMENTS=10000", "CHAOS_OUT=" + results,
                "CHAOS_ARGS=--faults taskmanager-snapshot,jobmanager,connect,opensearch,kafka,savepoint-burst --rate 60 --load PT10S"
                        + " --lead PT4S --outage PT10S --recovery-timeout PT5M --verify-timeout PT5M");

        String report = Files.readString(results.resolve("chaos.md"));
        System.out.println(report);
        run.orThrow();
        // The faults that restore the job report when all its tasks ran again and when it wrote again; the others have dashes there.
        for (String fault : List.of("kill -9 the TaskManager during the job's initial snapshot",
                "kill -9 the JobManager; restart it and the job from its latest retained checkpoint", "kill -9 the Kafka Connect worker; restart it",
                "stop OpenSearch for the outage, then start it", "kill -9 the Kafka broker; restart it",
                "stop the job with a savepoint in the middle of a burst; restore it")) {
            String tasksRunning = fault.contains("Connect") || fault.contains("OpenSearch") || fault.contains("broker") ? "—" : "[0-9.]+ s";
            assertThat(report).as(fault).containsPattern("\\| " + Pattern.quote(fault)
                    + " \\| [1-9][0-9,]* \\| [1-9][0-9,]* \\| 0 \\| 0 \\| 0 \\| 0 \\| [0-9.]+ s \\| " + tasksRunning + " \\| " + tasksRunning
                    + " \\| [0-9.]+ s \\| [0-9]+ s \\| PASS \\|");
        }
        assertThat(report).containsPattern("Every task RUNNING [0-9.]+ s after the fault\\. Restore \\(INITIALIZING → RUNNING, the slowest subtask\\) per operator: .*Assemble documents");
        assertThat(report).contains("(the snapshot was in progress)").contains("Every fault: nothing lost, duplicated, resurrected or stale.");
        assertThat(Files.readString(results.resolve("chaos.json"))).contains("\"lost\" : 0").doesNotContain("\"lost\" : 1");
    }

    @Test
    @Order(2)
    void thePasswordsAreInNoLogAndNoDeadLetter() throws Exception {
        List<Path> searched = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(STACK.environment().get("VAR_DIR")))) {
            for (Path file : files.filter(Files::isRegularFile).filter(ChaosIT::isLog).toList()) {
                searched.add(file);
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(SECRET)
                        .doesNotContain(PG_SECRET);
            }
        }
        assertThat(searched).as("the logs of the run").anyMatch(f -> f.endsWith("jobmanager.json")).anyMatch(f -> f.endsWith("taskmanager.json"))
                .anyMatch(f -> f.endsWith("flink-cli.json")).anyMatch(f -> f.endsWith("connect.json"));
        try (TopicReader deadLetters = new TopicReader(STACK.kafkaBootstrap(), List.of("dbserver.dlq"))) {
            assertThat(deadLetters.drain(Duration.ofSeconds(5))).noneMatch(letter -> String.valueOf(letter.value()).contains(SECRET)
                    || String.valueOf(letter.value()).contains(PG_SECRET));
        }
    }

    @Test
    @Order(3)
    void everyProcessOfTheStackListensOnLoopbackOnly() throws Exception {
        Set<Long> pids = stackPids(Path.of(STACK.environment().get("VAR_DIR")));
        assertThat(pids).as("PostgreSQL, Kafka, Connect, OpenSearch, JobManager, TaskManager").hasSizeGreaterThanOrEqualTo(6);

        List<String> listening = new ArrayList<>();
        Pattern socket = Pattern.compile("^LISTEN\\s+\\S+\\s+\\S+\\s+(\\S+):(\\d+)\\s+.*pid=(\\d+),");
        for (String line : Shell.run(STACK.root(), STACK.environment(), 30, "ss", "-Hltnp").orThrow().output().split("\n")) {
            Matcher m = socket.matcher(line.strip());
            if (m.find() && pids.contains(Long.parseLong(m.group(3)))) {
                // Java's sockets show as IPv4-mapped IPv6: [::ffff:127.0.0.1].
                String host = m.group(1).replace("[::ffff:", "").replace("]", "");
                listening.add(host + ":" + m.group(2) + " (pid " + m.group(3) + ")");
            }
        }
        assertThat(listening).as("sockets our processes listen on").isNotEmpty()
                .allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
    }

    private static boolean isLog(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".json") || name.endsWith(".out") || name.endsWith(".log") || name.contains(".log.");
    }

    /** The PIDs the stack's scripts recorded (and PostgreSQL's postmaster). */
    private static Set<Long> stackPids(Path varDir) throws Exception {
        Set<Long> pids = new TreeSet<>();
        try (Stream<Path> files = Files.walk(varDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                String first = Files.readAllLines(file).stream().findFirst().orElse("").strip();
                if (first.matches("\\d+")) {
                    pids.add(Long.parseLong(first));
                }
            }
        }
        return pids;
    }
}
