package io.datasync.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySubtaskRunningSinceTheFaultGivesTheLastRunningTimeAndEachOperatorsSlowestRestore() throws Exception {
        var restore = Restore.of(job(2, 2), Map.of("a", times(1_000, 1_500, 1_100, 4_100), "b", times(1_200, 1_300, 1_200, 1_250)), 900);

        assertThat(restore).isPresent();
        assertThat(restore.get().allRunningAtMillis()).isEqualTo(4_100);
        assertThat(restore.get().restoreMillis()).containsExactly(Map.entry("Normalize", 3_000L), Map.entry("Assemble", 100L));
    }

    @Test
    void nothingWhileASubtaskIsStillRestoringOrRunsFromBeforeTheFault() throws Exception {
        assertThat(Restore.of(job(2, 1), Map.of("a", times(1_000, 1_500, 1_100, 4_100), "b", times(1_200, 1_300, 1_200, 1_250)), 900)).isEmpty();
        // Tasks the JobManager still reports RUNNING from before the fault: it has not failed them over yet.
        assertThat(Restore.of(job(2, 2), Map.of("a", times(100, 500, 100, 400), "b", times(1_200, 1_300, 1_200, 1_250)), 900)).isEmpty();
        assertThat(Restore.of(JSON.readTree("{\"vertices\":[]}"), Map.of(), 900)).isEmpty();
    }

    private static JsonNode job(int runningA, int runningB) throws Exception {
        return JSON.readTree("{\"vertices\":[{\"id\":\"a\",\"name\":\"Normalize\",\"parallelism\":2,\"tasks\":{\"RUNNING\":" + runningA
                + ",\"INITIALIZING\":" + (2 - runningA) + "}},{\"id\":\"b\",\"name\":\"Assemble\",\"parallelism\":2,\"tasks\":{\"RUNNING\":" + runningB + "}}]}");
    }

    /** Two subtasks: INITIALIZING and RUNNING timestamps of each. */
    private static JsonNode times(long init0, long run0, long init1, long run1) throws Exception {
        return JSON.readTree("{\"subtasks\":[{\"subtask\":0,\"timestamps\":{\"INITIALIZING\":" + init0 + ",\"RUNNING\":" + run0 + "}},"
                + "{\"subtask\":1,\"timestamps\":{\"INITIALIZING\":" + init1 + ",\"RUNNING\":" + run1 + "}}]}");
    }
}
