package io.datasync.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedTest {
    @Test
    void equalValuesBecomeOneInstance() {
        Row first = Row.of(Map.of("likes", 0L));
        Row second = Row.ofJson("{\"likes\":0}".getBytes(StandardCharsets.UTF_8));
        assertThat(second).isNotSameAs(first);
        assertThat(Shared.of(second)).isSameAs(Shared.of(first));
        assertThat(Shared.of((Row) null)).isNull();
    }

    @Test
    void aFullTableStartsOverAndStillAnswersWithAnEqualValue() {
        for (int i = 0; i < Shared.CAPACITY + 10; i++) {
            Shared.of("value-" + i);
        }
        String late = new String("value-" + (Shared.CAPACITY + 5));
        assertThat(Shared.of(late)).isEqualTo(late);
        assertThat(Shared.of(new String(late))).isSameAs(Shared.of(late));
    }
}
