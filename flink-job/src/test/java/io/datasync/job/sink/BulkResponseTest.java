package io.datasync.job.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Bulk responses as OpenSearch 2.19 writes them (with and without the sink's filter_path), read into verdicts. */
class BulkResponseTest {
    private static final long NOW = 1_000_000;

    @Test
    void writtenConflictingRejectedThrottledAndUnavailableItemsEachGetTheirOutcome() throws Exception {
        String response = """
                {"took":30,"errors":true,"items":[
                 {"index":{"_index":"c_v1","_id":"a","_version":3,"result":"created","_shards":{"total":1,"successful":1,"failed":0},
                   "_seq_no":0,"_primary_term":1,"status":201}},
                 {"delete":{"_index":"c_v1","_id":"b","_version":4,"result":"deleted","status":200}},
                 {"index":{"_index":"c_v1","_id":"c","status":409,"error":{"type":"version_conflict_engine_exception",
                   "reason":"[c]: version conflict, current version [9] is higher or equal to the one provided [5]",
                   "index":"c_v1","shard":"0"}}},
                 {"index":{"_index":"c_v1","_id":"d","status":400,"error":{"type":"mapper_parsing_exception",
                   "reason":"failed to parse field [likes] of type [integer] in document with id 'd'. Preview of field's value: 'many'",
                   "caused_by":{"type":"number_format_exception","reason":"For input string: \\"many\\""}}}},
                 {"index":{"_index":"c_v1","_id":"e","status":429,"error":{"type":"es_rejected_execution_exception",
                   "reason":"rejected execution of coordinating operation"}}},
                 {"index":{"_index":"c_v1","_id":"f","status":503,"error":{"type":"unavailable_shards_exception",
                   "reason":"[c_v1][0] primary shard is not active"}}}
                ]}""";
        List<BulkEntry> batch = batch("a", "b", "c", "d", "e", "f");

        BulkVerdict verdict = BulkVerdict.of(batch, parse(response, 6), NOW);

        assertThat(verdict.written()).isEqualTo(2);
        assertThat(verdict.conflicts()).isEqualTo(1);
        assertThat(verdict.rejected()).singleElement().satisfies(rejected -> {
            assertThat(rejected.entry().id()).isEqualTo("d");
            assertThat(rejected.reason()).isEqualTo("OpenSearch rejected the document (HTTP 400): mapper_parsing_exception:"
                    + " failed to parse field [likes] of type [integer] in document with id 'd'. Preview of field's value: 'many';"
                    + " caused by: number_format_exception: For input string: \"many\"");
        });
        assertThat(verdict.failed()).extracting(failed -> failed.entry().id(), BulkVerdict.Failed::cause).containsExactly(
                tuple("e", "HTTP 429: es_rejected_execution_exception: rejected execution of coordinating operation"),
                tuple("f", "HTTP 503: unavailable_shards_exception: [c_v1][0] primary shard is not active"));
    }

    @Test
    void theFilteredResponseReadsTheSame() throws Exception {
        String response = """
                {"items":[{"index":{"status":201}},
                {"delete":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"x","index":"c_v1","shard":"0"}}},
                {"index":{"status":429,"error":{"type":"t"}}}]}""";

        List<BulkResponse.Item> items = parse(response, 3);

        assertThat(items).containsExactly(new BulkResponse.Item(201, null, null),
                new BulkResponse.Item(409, "version_conflict_engine_exception", "x"), new BulkResponse.Item(429, "t", null));
        assertThat(items.get(2).error()).isEqualTo("t");
    }

    @Test
    void deletingADocumentThatIsNotThereIsAWriteNotAFailure() throws Exception {
        // A delete of a missing document answers 404 without an error; with an external version it still leaves a tombstone.
        String response = """
                {"errors":false,"items":[{"delete":{"_index":"c_v1","_id":"gone","_version":7,"result":"not_found","status":404}}]}""";

        BulkVerdict verdict = BulkVerdict.of(batch("gone"), parse(response, 1), NOW);

        assertThat(verdict.written()).isEqualTo(1);
        assertThat(verdict.rejected()).isEmpty();
        assertThat(verdict.failed()).isEmpty();
    }

    @Test
    void theCommitLagIsMeasuredFromTheOldestWrittenDocumentOnly() throws Exception {
        String response = """
                {"items":[{"index":{"status":201}},{"index":{"status":409,"error":{"type":"v"}}},{"index":{"status":200}}]}""";
        List<BulkEntry> batch = List.of(committedAt("a", NOW - 500), committedAt("b", NOW - 9_000), committedAt("c", NOW - 200));

        assertThat(BulkVerdict.of(batch, parse(response, 3), NOW).oldestWrittenCommit()).isEqualTo(NOW - 500);
        List<BulkResponse.Item> uncommitted = parse("{\"items\":[{\"index\":{\"status\":201}}]}", 1);
        assertThat(BulkVerdict.of(batch("x"), uncommitted, NOW).oldestWrittenCommit()).isEqualTo(NOW);
    }

    @Test
    void aResponseWithAnotherNumberOfItemsIsAnError() {
        String twoItems = "{\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}";

        assertThatThrownBy(() -> parse(twoItems, 3)).isInstanceOf(IOException.class)
                .hasMessage("the bulk response has 2 items for 3 actions");
        assertThatThrownBy(() -> parse("{\"took\":1,\"errors\":false}", 1)).isInstanceOf(IOException.class)
                .hasMessage("the bulk response has 0 items for 1 actions");
        assertThatThrownBy(() -> BulkVerdict.of(batch("a", "b"), List.of(new BulkResponse.Item(201, null, null)), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void somethingElseThanABulkResponseIsAnError() {
        assertThatThrownBy(() -> parse("[1,2]", 1)).isInstanceOf(IOException.class).hasMessageContaining("unexpected bulk response");
        assertThatThrownBy(() -> parse("{\"items\":[{\"index\":{\"result\":\"created\"}}]}", 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("without a status");
        assertThatThrownBy(() -> parse("{\"items\":[{\"index\":{\"status\":201", 1)).isInstanceOf(IOException.class);
    }

    @Test
    void aWholeFailedRequestFailsEveryActionWithItsCause() {
        BulkVerdict verdict = BulkVerdict.allFailed(batch("a", "b"), "ConnectException: Connection refused", NOW);

        assertThat(verdict.failed()).extracting(BulkVerdict.Failed::cause).containsOnly("ConnectException: Connection refused").hasSize(2);
        assertThat(verdict.written() + verdict.conflicts() + verdict.rejected().size()).isZero();
    }

    private static List<BulkResponse.Item> parse(String json, int expected) throws IOException {
        return BulkResponse.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), expected);
    }

    private static List<BulkEntry> batch(String... ids) {
        return IntStream.range(0, ids.length)
                .mapToObj(i -> BulkBodyTest.entry("c_v1", ids[i], "{}".getBytes(StandardCharsets.UTF_8), i + 1))
                .toList();
    }

    private static BulkEntry committedAt(String id, long commitMillis) {
        return new BulkEntry("c_v1", id, "{}".getBytes(StandardCharsets.UTF_8), 1, commitMillis, null, 0, 0);
    }
}
