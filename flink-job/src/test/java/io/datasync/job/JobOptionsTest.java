package io.datasync.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class JobOptionsTest {
    @Test
    void theStateBackendIsNamedInAnyCaseAndAWrongOneIsRefusedWithTheChoices() {
        JobOptions options = new JobOptions();
        JobOptions.commandLine(options).parseArgs("--state-backend", "rocksdb");
        assertThat(options.stateBackend).isEqualTo(JobOptions.StateBackend.ROCKSDB);

        assertThatThrownBy(() -> JobOptions.commandLine(new JobOptions()).parseArgs("--state-backend", "leveldb"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("HASHMAP, ROCKSDB");
    }
}
