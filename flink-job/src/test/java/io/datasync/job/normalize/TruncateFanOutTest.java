package io.datasync.job.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.decode.RowChange;
import io.datasync.job.types.Row;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TruncateFanOutTest {
    @ParameterizedTest(name = "max parallelism {0}")
    @ValueSource(ints = {1, 128, 4096})
    void thereIsOneRoutingKeyPerKeyGroupAndItFallsIntoThatGroup(int maxParallelism) {
        List<String> keys = TruncateFanOut.routingKeys("comments", maxParallelism);

        assertThat(keys).hasSize(maxParallelism).doesNotHaveDuplicates();
        assertThat(IntStream.range(0, maxParallelism))
                .allMatch(group -> KeyGroupRangeAssignment.assignToKeyGroup(new RowKey("comments", keys.get(group)), maxParallelism) == group);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 3, 4, 7, 128})
    void everySubtaskOfNormalizeGetsACopy(int parallelism) {
        List<Integer> reached = TruncateFanOut.routingKeys("videos", 128).stream()
                .map(key -> KeyGroupRangeAssignment.assignKeyToParallelOperator(new RowKey("videos", key), 128, parallelism)).distinct().toList();

        assertThat(reached).containsExactlyInAnyOrderElementsOf(IntStream.range(0, parallelism).boxed().toList());
    }

    @Test
    void aRowChangePassesUnchangedAndATruncateBecomesACopyPerKeyGroupWithItsLsn() throws Exception {
        RowChange row = RowChange.upsert("comments", "c1", Row.of(Map.of("comment_id", "c1")), 800, 800, false, null);
        RowChange truncate = RowChange.truncate("comments", 900, 900, null);

        try (var harness = new OneInputStreamOperatorTestHarness<>(new StreamFlatMap<>(new TruncateFanOut()), 128, 1, 0)) {
            harness.open();
            harness.processElement(row, 1);
            harness.processElement(truncate, 2);

            List<RowChange> out = harness.extractOutputValues();
            assertThat(out.get(0)).isEqualTo(row);
            assertThat(out.subList(1, out.size())).hasSize(128)
                    .allMatch(copy -> copy.op() == RowChange.Op.TRUNCATE && copy.lsn() == 900 && copy.table().equals("comments"))
                    .extracting(RowChange::key).containsExactlyElementsOf(TruncateFanOut.routingKeys("comments", 128));
        }
    }
}
