package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class BulkEntrySerializerTest {
    private final BulkEntrySerializer serializer = new BulkEntrySerializer();

    @Test
    void theBufferedActionsComeBackFieldByFieldWithTheirSizesAndInOrder() throws Exception {
        List<BulkEntry> entries = List.of(
                new BulkEntry("comments_index_v1", "c-1", "{\"comment_text\":\"caf\u00e9 \u2603\"}".getBytes(StandardCharsets.UTF_8),
                        (7L << 32) | 3, 1_700_000_000_123L, "comments:c-1@123", 5, 0),
                new BulkEntry("videos_index_v1", "v\"\\\n", null, 9, 0, null, 6, 0),
                new BulkEntry("users_index_v1", "", new byte[0], Long.MIN_VALUE, -1, "", 7, 0));
        Deque<RequestEntryWrapper<BulkEntry>> buffer = new ArrayDeque<>();
        entries.forEach(entry -> buffer.add(new RequestEntryWrapper<>(entry, BulkBody.sizeOf(entry))));

        byte[] bytes = serializer.serialize(new BufferedRequestState<>(buffer));
        BufferedRequestState<BulkEntry> restored = serializer.deserialize(serializer.getVersion(), bytes);

        assertThat(restored.getBufferedRequestEntries()).hasSize(3);
        assertThat(restored.getBufferedRequestEntries()).extracting(RequestEntryWrapper::getSize)
                .containsExactlyElementsOf(entries.stream().map(BulkBody::sizeOf).toList());
        assertThat(restored.getBufferedRequestEntries()).extracting(RequestEntryWrapper::getRequestEntry)
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("acceptedMillis")
                .containsExactlyElementsOf(entries);
        assertThat(restored.getStateSize()).isEqualTo(entries.stream().mapToLong(BulkBody::sizeOf).sum());
    }

    @Test
    void theRetryBudgetStartsAfreshAfterARestore() throws Exception {
        BulkEntry retried = new BulkEntry("i", "x", "{}".getBytes(StandardCharsets.UTF_8), 1, 2, "t:x@1", 1_000, 4);
        Deque<RequestEntryWrapper<BulkEntry>> buffer = new ArrayDeque<>(List.of(new RequestEntryWrapper<>(retried, 80)));
        long before = System.currentTimeMillis();

        BulkEntry restored = serializer.deserialize(1, serializer.serialize(new BufferedRequestState<>(buffer)))
                .getBufferedRequestEntries().get(0).getRequestEntry();

        assertThat(restored.failures()).isZero();
        assertThat(restored.acceptedMillis()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void anEmptyBufferRoundTrips() throws Exception {
        byte[] bytes = serializer.serialize(BufferedRequestState.emptyState());

        assertThat(serializer.deserialize(1, bytes).getBufferedRequestEntries()).isEmpty();
    }

    @Test
    void corruptStateIsAnError() throws Exception {
        BulkEntry entry = new BulkEntry("i", "x", null, 1, 0, null, 0, 0);
        byte[] bytes = serializer.serialize(new BufferedRequestState<>(new ArrayDeque<>(List.of(new RequestEntryWrapper<>(entry, 10)))));
        bytes[8 + 4 + 8] = (byte) 0xff; // the first length prefix of the entry becomes negative

        assertThatThrownBy(() -> serializer.deserialize(1, bytes)).hasMessageContaining("corrupt sink state");
    }
}
