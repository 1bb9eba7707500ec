package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemOutcomeTest {

    @ParameterizedTest(name = "HTTP {0}, not failed")
    @ValueSource(ints = {200, 201, 404, 409, 500})
    void anItemThatDidNotFailIsASuccess(int status) {
        assertThat(ItemOutcome.of(false, status)).isEqualTo(ItemOutcome.SUCCESS);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {409})
    void aConflictIsAVersionConflict(int status) {
        assertThat(ItemOutcome.of(true, status)).isEqualTo(ItemOutcome.VERSION_CONFLICT);
    }

    /** Bad document (400), missing index (404), too large (413), bad mapping (422): retrying cannot help. */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 403, 404, 413, 422})
    void aClientErrorIsPermanent(int status) {
        assertThat(ItemOutcome.of(true, status)).isEqualTo(ItemOutcome.PERMANENT);
    }

    /** Throttled (429), timed out (408), server errors: a retry from the checkpoint may succeed. */
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 408, 500, 502, 503, 504})
    void throttlingTimeoutsAndServerErrorsAreTransient(int status) {
        assertThat(ItemOutcome.of(true, status)).isEqualTo(ItemOutcome.TRANSIENT);
    }
}
