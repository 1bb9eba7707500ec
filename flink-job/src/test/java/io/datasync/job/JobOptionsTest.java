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

    @Test
    void theChangelogIsOnByDefaultOnlyForTheHeapAndEitherWayWhenAskedFor() {
        assertThat(JobOptions.parse().changelog()).as("RocksDB, the default").isFalse();
        assertThat(JobOptions.parse("--state-backend", "hashmap").changelog()).isTrue();
        assertThat(JobOptions.parse("--state-backend", "hashmap", "--no-changelog").changelog()).isFalse();
        assertThat(JobOptions.parse("--changelog").changelog()).isTrue();
    }
}
