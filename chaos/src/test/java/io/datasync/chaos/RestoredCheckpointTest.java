package io.datasync.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoredCheckpointTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRestoredCheckpointCountsOnlyWhenRestoredSinceTheFault() throws Exception {
        JsonNode stats = JSON.readTree("{\"latest\":{\"restored\":{\"id\":38,\"restore_timestamp\":5000,\"is_savepoint\":false}}}");

        assertThat(RestoredCheckpoint.restoredId(stats, 4_000)).hasValue(38);
        assertThat(RestoredCheckpoint.restoredId(stats, 6_000)).isEmpty();
        assertThat(RestoredCheckpoint.restoredId(JSON.readTree("{\"latest\":{\"restored\":null}}"), 0)).isEmpty();
    }

    @Test
    void eachOperatorsInFlightBytesPerSubtaskAndOnlyOperatorsThatHadAnyAreNamed() throws Exception {
        JsonNode job = JSON.readTree("{\"vertices\":[{\"id\":\"a\",\"name\":\"Lookups\"},{\"id\":\"b\",\"name\":\"Assemble\"}]}");
        var restored = RestoredCheckpoint.of(38, job, Map.of("a", subtasks(0, 0), "b", subtasks(31_457_280, 524_288)));

        assertThat(restored.persistedBytes()).containsExactly(Map.entry("Lookups", List.of(0L, 0L)), Map.entry("Assemble", List.of(31_457_280L, 524_288L)));
        assertThat(restored.describe()).contains("checkpoint 38").contains("Assemble 30.0 MiB / 0.5 MiB; no other operator had any").doesNotContain("Lookups");
    }

    @Test
    void statisticsTheJobManagerNoLongerHoldsSayInFlightDataIsUnknown() throws Exception {
        JsonNode job = JSON.readTree("{\"vertices\":[{\"id\":\"a\",\"name\":\"Lookups\"}]}");
        var restored = RestoredCheckpoint.of(12, job, Map.of("a", JSON.readTree("{\"errors\":[\"Could not find checkpointing statistics\"]}")));

        assertThat(restored.persistedBytes()).isEmpty();
        assertThat(restored.describe()).contains("checkpoint 12").contains("unknown");
    }

    private static JsonNode subtasks(long persisted0, long persisted1) throws Exception {
        return JSON.readTree("{\"subtasks\":[{\"index\":0,\"alignment\":{\"persisted\":" + persisted0 + "}},{\"index\":1,\"alignment\":{\"persisted\":"
                + persisted1 + "}}]}");
    }
}
