package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, 100, 1_000, 10_000);

    @Test
    void theBackoffDoublesFromTheFirstPauseUpToTheLongest() {
        assertThat(policy.backoffMillis(1)).isEqualTo(100);
        assertThat(policy.backoffMillis(2)).isEqualTo(200);
        assertThat(policy.backoffMillis(4)).isEqualTo(800);
        assertThat(policy.backoffMillis(5)).isEqualTo(1_000);
        assertThat(policy.backoffMillis(1_000)).isEqualTo(1_000);
    }

    @Test
    void anActionIsGivenUpAfterItsAttemptsOrWhenTheNextAttemptWouldComeTooLate() {
        assertThat(policy.exhausted(failed(4, 0), 1_000)).isFalse();
        assertThat(policy.exhausted(failed(5, 0), 1_000)).isTrue();
        assertThat(policy.exhausted(failed(1, 0), 9_900)).isFalse(); // next attempt at 10,000: still within
        assertThat(policy.exhausted(failed(1, 0), 9_901)).isTrue();
    }

    private static BulkEntry failed(int failures, long acceptedMillis) {
        return new BulkEntry("i", "x", null, 1, 0, null, acceptedMillis, failures);
    }
}
