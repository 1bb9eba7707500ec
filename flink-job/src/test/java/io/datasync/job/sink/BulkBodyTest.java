package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anIndexActionIsItsActionLineWithTheExternalVersionThenTheSourceBytesAsTheyAre() throws Exception {
        // Spacing and key order a parser would not keep, and non-ASCII text: the bytes must go out unchanged.
        byte[] source = "{\"b\" : 1,  \"a\":\"caf\u00e9 \\u00e9 \\n\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = BulkBody.encode(List.of(entry("comments_index_v1", "c-1", source, 42)));

        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[0])
                .isEqualTo("{\"index\":{\"_index\":\"comments_index_v1\",\"_id\":\"c-1\",\"version\":42,\"version_type\":\"external\"}}");
        assertThat(lines[1].getBytes(StandardCharsets.UTF_8)).isEqualTo(source);
        assertThat(lines[2]).isEmpty(); // NDJSON: the body ends with a newline
    }

    @Test
    void aDeleteIsOnlyItsActionLine() {
        byte[] body = BulkBody.encode(List.of(entry("videos_index_v2", "v-9", null, 7)));

        assertThat(new String(body, StandardCharsets.UTF_8))
                .isEqualTo("{\"delete\":{\"_index\":\"videos_index_v2\",\"_id\":\"v-9\",\"version\":7,\"version_type\":\"external\"}}\n");
    }

    @Test
    void idsAndIndexNamesThatNeedEscapingAreEscapedAndReadBackUnchanged() throws Exception {
        String id = "quote\" back\\slash new\nline tab\t ctl\u0001 caf\u00e9 \u2603 /slash";
        String index = "odd\"index\\name";
        byte[] body = BulkBody.encode(List.of(
                entry(index, id, "{}".getBytes(StandardCharsets.UTF_8), Long.MAX_VALUE),
                entry(index, id, null, 1)));

        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(4); // index action, source, delete action, final empty line: no escape leaked a line break
        JsonNode index1 = JSON.readTree(lines[0]).path("index");
        assertThat(index1.path("_index").asText()).isEqualTo(index);
        assertThat(index1.path("_id").asText()).isEqualTo(id);
        assertThat(index1.path("version").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(lines[1]).isEqualTo("{}");
        assertThat(JSON.readTree(lines[2]).path("delete").path("_id").asText()).isEqualTo(id);
    }

    @Test
    void theSizeOfAnEntryIsWhatItAddsToTheBody() {
        List<BulkEntry> entries = List.of(
                entry("i", "caf\u00e9\"", "{\"x\":\"\u2603\"}".getBytes(StandardCharsets.UTF_8), 3),
                entry("i", "deleted", null, 4));

        long sizes = entries.stream().mapToLong(BulkBody::sizeOf).sum();

        assertThat(sizes).isEqualTo(BulkBody.encode(entries).length);
    }

    @Test
    void aSourceWithALineBreakOrAWriteWithoutIdIsRefused() {
        DocumentWrite pretty = new DocumentWrite("a", "a_v1", "x", "{\n\"k\": 1\n}".getBytes(StandardCharsets.UTF_8), 1, 0, "t:x@1");
        DocumentWrite noId = new DocumentWrite("a", "a_v1", null, "{}".getBytes(StandardCharsets.UTF_8), 1, 0, "t:?@1");

        assertThatThrownBy(() -> BulkEntry.of(pretty, 0)).hasMessageContaining("a_v1/x").hasMessageContaining("line break")
                .hasMessageContaining("t:x@1");
        assertThatThrownBy(() -> BulkEntry.of(noId, 0)).hasMessageContaining("needs an index and an id").hasMessageContaining("t:?@1");
    }

    @Test
    void aWriteBecomesAnEntryWithItsFieldsAndNoFailuresYet() {
        byte[] source = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        BulkEntry entry = BulkEntry.of(new DocumentWrite("alias", "alias_v1", "id", source, 5, 1000, "t:id@5"), 1234);

        assertThat(entry).extracting(BulkEntry::index, BulkEntry::id, BulkEntry::version, BulkEntry::commitMillis, BulkEntry::correlationId,
                BulkEntry::acceptedMillis, BulkEntry::failures).containsExactly("alias_v1", "id", 5L, 1000L, "t:id@5", 1234L, 0);
        assertThat(Arrays.equals(entry.source(), source)).isTrue();
    }

    static BulkEntry entry(String index, String id, byte[] source, long version) {
        return new BulkEntry(index, id, source, version, 0, index + ":" + id + "@" + version, 0, 0);
    }
}
