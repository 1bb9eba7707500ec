package io.datasync.job.deadletter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datasync.testing.TestStack;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeadLetterProducerTest {
    @Test
    void aDeadLetterKafkaDidNotTakeFailsTheFlushInsteadOfVanishing() {
        Properties quick = new Properties();
        quick.put("max.block.ms", "300");
        // Nothing listens there: the record never reaches a broker.
        String nowhere = "127.0.0.1:" + TestStack.freePort();
        try (DeadLetterProducer producer = new DeadLetterProducer(nowhere, "dbserver.dlq", quick)) {
            producer.send(new DeadLetter("opensearch", "mapper_parsing_exception", "comments_index_v1", -1, -1, "c1", "{}", "comments:c1@7", 0));

            assertThatThrownBy(producer::flush).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a dead letter could not be written to dbserver.dlq at " + nowhere);
        }
    }
}
