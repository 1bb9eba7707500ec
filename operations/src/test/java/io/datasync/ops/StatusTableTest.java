package io.datasync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.ops.StatusTable.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    @Test
    void columnsAlignOnTheLongestEntry() {
        String table = StatusTable.render(List.of(Row.ok("postgres", "up", "a"), Row.bad("replication slot", "inactive", "b")));

        assertThat(table.lines()).containsExactly(
                "component         state     detail",
                "postgres          up        a",
                "replication slot  inactive  b");
    }

    @Test
    void onePartDownMakesThePipelineUnhealthy() {
        assertThat(StatusTable.healthy(List.of(Row.ok("kafka", "up", ""), Row.ok("job", "RUNNING", "")))).isTrue();
        assertThat(StatusTable.healthy(List.of(Row.ok("kafka", "up", ""), Row.bad("job", "FAILED", "")))).isFalse();
    }

    @Test
    void countsAndAgesReadAsAUserWouldSayThem() {
        assertThat(StatusTable.counts(500_000, 499_990)).isEqualTo("500,000 rows / 499,990 documents");
        assertThat(StatusTable.age(12_345)).isEqualTo("12 s ago");
        assertThat(StatusTable.age(600_000)).isEqualTo("10 min ago");
        assertThat(StatusTable.age(3 * 3_600_000)).isEqualTo("3 h ago");
    }
}
