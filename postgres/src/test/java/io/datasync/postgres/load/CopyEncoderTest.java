package io.datasync.postgres.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CopyEncoderTest {
    @Test
    void quotesEveryValueDoublesQuotesAndLeavesNullUnquoted() {
        StringBuilder out = new StringBuilder();

        CopyEncoder.appendRow(out, Arrays.asList("a,b", "say \"hi\"\nbye", "", null, "\"\""));

        assertThat(out).hasToString("\"a,b\",\"say \"\"hi\"\"\nbye\",\"\",,\"\"\"\"\"\"\n");
    }
}
