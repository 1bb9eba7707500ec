package io.datasync.job.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datasync.job.spec.SyncSpec;
import io.datasync.job.spec.SyncSpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.datasync.job.types.Row;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebeziumDecoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final SyncSpec DEFAULT_SPEC = SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC);
    /** The with-schema fixtures come from a second connector whose topic prefix is {@code dbschema}. */
    private static final SyncSpec WITH_SCHEMA_SPEC = new SyncSpec(new SyncSpec.Source("dbschema", "public"), DEFAULT_SPEC.indexes());

    private static final DebeziumDecoder DECODER = new DebeziumDecoder(DEFAULT_SPEC);
    private static final DebeziumDecoder WITH_SCHEMA_DECODER = new DebeziumDecoder(WITH_SCHEMA_SPEC);

    private static final int PARTITION = 0;
    private static final long OFFSET = 42L;

    // ---- fixtures -------------------------------------------------------------------------

    /** A captured event: topic, key and value as the converter wrote them. */
    private static JsonNode fixture(String name) {
        String resource = "fixtures/debezium/" + name + ".json";
        try (InputStream in = DebeziumDecoderTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the test classpath").isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Kafka record of a fixture: key and value serialized back to UTF-8 JSON, null staying null. */
    private static RawRecord record(String name) {
        JsonNode fixture = fixture(name);
        return new RawRecord(fixture.get("topic").asText(), PARTITION, OFFSET, bytes(fixture.get("key")), bytes(fixture.get("value")));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return node == null || node.isNull() ? null : JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Decoded decode(String fixture) {
        RawRecord record = record(fixture);
        return (record.topic().startsWith("dbschema.") ? WITH_SCHEMA_DECODER : DECODER).decode(record);
    }

    private static RowChange change(String fixture) {
        Decoded decoded = decode(fixture);
        assertThat(decoded).as(fixture).isInstanceOf(Decoded.Change.class);
        return ((Decoded.Change) decoded).change();
    }

    /** The {@code after} column of a with-schema fixture, as the epoch microseconds it holds. */
    private static long micros(String fixture, String column) {
        return fixture(fixture).path("value").path("payload").path("after").path(column).asLong();
    }

    private static String isoInstantOfMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
    }

    /** An ordered row that may hold nulls: column, value, column, value… */
    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    // ---- every fixture --------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "snapshot-comment,              UPSERT",
            "snapshot-user,                 UPSERT",
            "snapshot-video,                UPSERT",
            "create-comment,                UPSERT",
            "create-user,                   UPSERT",
            "create-video,                  UPSERT",
            "update-comment,                UPSERT",
            "update-user,                   UPSERT",
            "update-video,                  UPSERT",
            "toast-placeholder-comment,     UPSERT",
            "add-column-decimal-video,      UPSERT",
            "with-schema-snapshot-comment,  UPSERT",
            "with-schema-snapshot-user,     UPSERT",
            "with-schema-update-decimal-video, UPSERT",
            "delete-comment,                DELETE",
            "delete-user,                   DELETE",
            "cascade-delete-comment,        DELETE",
            "cascade-delete-video,          DELETE",
            "truncate-comments,             TRUNCATE",
    })
    void everyChangeFixtureDecodesToItsOp(String fixture, RowChange.Op op) {
        RowChange change = change(fixture);

        assertThat(change.op()).isEqualTo(op);
        assertThat(change.table()).isEqualTo(record(fixture).topic().substring(record(fixture).topic().lastIndexOf('.') + 1));
        assertThat(change.origin()).isEqualTo(new RowChange.Origin(record(fixture).topic(), PARTITION, OFFSET));
        assertThat(change.lsn()).isEqualTo(fixture(fixture).path("value").findPath("source").path("lsn").asLong());
        assertThat(change.commitMillis()).isEqualTo(fixture(fixture).path("value").findPath("source").path("ts_ms").asLong());
        assertThat(change.snapshot()).as("read by the snapshot, as Debezium's source.snapshot says")
                .isEqualTo(!"false".equals(fixture(fixture).path("value").findPath("source").path("snapshot").asText()));
    }

    @ParameterizedTest(name = "{0} -> ignored: {1}")
    @CsvSource({
            "tombstone-comment, tombstone",
            "heartbeat,         heartbeat",
    })
    void fixturesWithoutARowChangeAreIgnored(String fixture, String reason) {
        assertThat(decode(fixture)).isEqualTo(new Decoded.Ignored(reason));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "snapshot-comment,             comment_id",
            "snapshot-user,                channel_id",
            "snapshot-video,               video_id",
            "create-comment,               comment_id",
            "create-user,                  channel_id",
            "create-video,                 video_id",
            "update-comment,               comment_id",
            "update-user,                  channel_id",
            "update-video,                 video_id",
            "toast-placeholder-comment,    comment_id",
            "add-column-decimal-video,     video_id",
            "with-schema-snapshot-comment, comment_id",
            "with-schema-snapshot-user,    channel_id",
            "with-schema-update-decimal-video, video_id",
    })
    void theDocumentIdOfAnUpsertIsItsKeyColumn(String fixture, String keyColumn) {
        RowChange change = change(fixture);
        JsonNode key = fixture(fixture).get("key");
        String keyValue = (key.has("payload") ? key.get("payload") : key).get(keyColumn).asText();

        assertThat(change.key()).isEqualTo(keyValue);
        assertThat(change.row().toMap()).containsEntry(keyColumn, keyValue);
    }

    // ---- upserts: the rows exactly --------------------------------------------------------

    @Nested
    class Upserts {
        @Test
        void aSnapshotReadIsAnUpsertOfTheWholeRow() {
            RowChange change = change("snapshot-comment");

            assertThat(change.op()).isEqualTo(RowChange.Op.UPSERT);
            assertThat(change.table()).isEqualTo("comments");
            assertThat(change.key()).isEqualTo("UgyUeGqfjvZ6OR53H9U4AaABAg");
            assertThat(change.row().toMap()).isEqualTo(row(
                    "comment_id", "UgyUeGqfjvZ6OR53H9U4AaABAg",
                    "video_id", "SRmGYsDcpZU",
                    "channel_id", "UCNF6_-IZcAPRET9fO2ogJyA",
                    "comment_text", "whole insane!!! feel brilliant. talented!!! even want every first get came recipe remember "
                            + "then dude, still made, like can't, still going",
                    "likes", 1L,
                    "replies", 0L,
                    "published_at", "2022-02-09T06:36:26Z",
                    "sentiment_label", "Positive",
                    "country_code", null,
                    "created_at", "2026-11-25T15:40:06.807097Z",
                    "updated_at", "2026-11-25T15:40:06.807097Z"));
        }

        @Test
        void anInsertIsAnUpsertWithTheRowValuesExactly() {
            RowChange change = change("create-comment");

            assertThat(change.op()).isEqualTo(RowChange.Op.UPSERT);
            assertThat(change.key()).isEqualTo("it-comment-1");
            assertThat(change.row().toMap()).isEqualTo(row(
                    "comment_id", "it-comment-1",
                    "video_id", "it-video-1",
                    "channel_id", "it-user-1",
                    "comment_text", "First! with a \"quote\"",
                    "likes", 3L,
                    "replies", 0L,
                    "published_at", "2024-05-06T07:08:09.123456Z",
                    "sentiment_label", "Positive",
                    "country_code", "FR",
                    "created_at", "2026-11-25T15:40:22.980107Z",
                    "updated_at", "2026-11-25T15:40:22.980107Z"));
            assertThat(change.row().get("likes")).isInstanceOf(Long.class);
            assertThat(change.lsn()).isEqualTo(28338264L);
            assertThat(change.commitMillis()).isEqualTo(1795621222981L);
        }

        @Test
        void anUpdateWithoutBeforeImageIsAnUpsertOfTheNewRow() {
            RowChange change = change("update-comment");

            assertThat(change.op()).isEqualTo(RowChange.Op.UPSERT);
            assertThat(change.row().toMap())
                    .containsEntry("likes", 4L)
                    .containsEntry("updated_at", "2026-11-25T15:40:22.985739Z");
        }

        @Test
        void anUpdatedVideoKeepsItsIsoTimestamps() {
            assertThat(change("update-video").row().toMap()).isEqualTo(row(
                    "video_id", "it-video-1",
                    "title", "A renamed test video",
                    "category", "Education",
                    "created_at", "2026-11-25T15:40:22.9763Z",
                    "updated_at", "2026-11-25T15:40:22.982089Z"));
        }

        @Test
        void nonAsciiTextSurvivesDecoding() {
            assertThat(change("create-user").row().toMap()).containsEntry("channel_name", "Tester \uD83E\uDDEA");
            assertThat(change("snapshot-video").row().toMap()).containsEntry("title", "أجمل الأغاني العربية 2023");
        }

        @Test
        void anUnchangedToastedColumnHoldsThePlaceholder() {
            RowChange change = change("toast-placeholder-comment");

            assertThat(change.op()).isEqualTo(RowChange.Op.UPSERT);
            assertThat(change.row().toMap())
                    .containsEntry("comment_text", RowChange.UNAVAILABLE)
                    .containsEntry("likes", 99L);
        }

        @Test
        void aColumnAddedWhileStreamingIsInTheRowAsTheConnectorString() {
            RowChange change = change("add-column-decimal-video");

            assertThat(change.row().toMap()).containsEntry("rating", "4.75");
            assertThat(change.row().get("rating")).isInstanceOf(String.class);
        }

        @Test
        void theCorrelationIdIsTableKeyAndLsn() {
            assertThat(change("create-comment").correlationId()).isEqualTo("comments:it-comment-1@28338264");
            assertThat(change("delete-user").correlationId()).isEqualTo("users:it-user-2@28340656");
        }
    }

    // ---- embedded schemas -----------------------------------------------------------------

    @Nested
    class WithSchemas {
        @Test
        void microTimestampsBecomeIsoInstants() {
            String fixture = "with-schema-snapshot-comment";
            RowChange change = change(fixture);

            assertThat(change.row().toMap())
                    .containsEntry("published_at", isoInstantOfMicros(micros(fixture, "published_at")))
                    .containsEntry("created_at", isoInstantOfMicros(micros(fixture, "created_at")))
                    .containsEntry("updated_at", isoInstantOfMicros(micros(fixture, "updated_at")));
            assertThat(change.row().toMap()).containsEntry("published_at", "2024-01-19T09:32:59Z");
            assertThat(change.row().toMap()).containsEntry("created_at", "2026-11-25T15:40:06.807097Z");
        }

        @Test
        void plainColumnsStayAsTheyAre() {
            assertThat(change("with-schema-snapshot-comment").row().toMap())
                    .containsEntry("comment_id", "UgzTwf2nWCYUhMAIxoY4AaABAg")
                    .containsEntry("likes", 136L)
                    .containsEntry("replies", 0L)
                    .containsEntry("country_code", null)
                    .containsEntry("sentiment_label", "Neutral");
        }

        @Test
        void theKeyIsReadFromTheKeyPayload() {
            RowChange change = change("with-schema-snapshot-user");

            assertThat(change.key()).isEqualTo("UCdBzaDPLZy_EKvuWRfbBcDQ");
            assertThat(change.row().toMap())
                    .containsEntry("channel_name", "田中太郎")
                    .containsEntry("created_at", isoInstantOfMicros(micros("with-schema-snapshot-user", "created_at")));
        }

        @Test
        void aPreciseDecimalIsABigDecimalWithItsScale() {
            RowChange change = change("with-schema-update-decimal-video");

            assertThat(change.row().get("rating")).isEqualTo(new BigDecimal("3.50"));
            assertThat(((BigDecimal) change.row().get("rating")).scale()).isEqualTo(2);
            assertThat(change.row().toMap()).containsEntry("updated_at",
                    isoInstantOfMicros(micros("with-schema-update-decimal-video", "updated_at")));
        }

        @Test
        void aTopicOfAnotherPrefixIsNotTheSpecs() {
            RawRecord record = record("with-schema-snapshot-comment");

            assertThat(DECODER.decode(record))
                    .isEqualTo(new Decoded.Rejected("topic dbschema.public.comments carries no table of the sync spec"));
        }
    }

    // ---- deletes, tombstones, truncates, heartbeats --------------------------------------

    @Nested
    class OtherOps {
        @Test
        void aDeleteCarriesTheKeyAndNoRow() {
            RowChange change = change("delete-comment");

            assertThat(change.op()).isEqualTo(RowChange.Op.DELETE);
            assertThat(change.table()).isEqualTo("comments");
            assertThat(change.key()).isEqualTo("it-comment-1");
            assertThat(change.row()).isNull();
            assertThat(change.lsn()).isEqualTo(28340304L);
        }

        @Test
        void aCascadedDeleteOfAVideoCarriesItsKey() {
            RowChange change = change("cascade-delete-video");

            assertThat(change.op()).isEqualTo(RowChange.Op.DELETE);
            assertThat(change.table()).isEqualTo("videos");
            assertThat(change.key()).isEqualTo("3VMYOz7a6IU");
            assertThat(change.row()).isNull();
        }

        @Test
        void aTombstoneIsIgnored() {
            assertThat(decode("tombstone-comment")).isEqualTo(new Decoded.Ignored("tombstone"));
        }

        @Test
        void aTruncateHasNoKeyAndNoRow() {
            RowChange change = change("truncate-comments");

            assertThat(change.op()).isEqualTo(RowChange.Op.TRUNCATE);
            assertThat(change.table()).isEqualTo("comments");
            assertThat(change.key()).isNull();
            assertThat(change.row()).isNull();
            assertThat(change.lsn()).isEqualTo(35126616L);
        }

        @Test
        void aHeartbeatIsIgnored() {
            assertThat(record("heartbeat").topic()).isEqualTo("__debezium-heartbeat.dbserver");
            assertThat(decode("heartbeat")).isEqualTo(new Decoded.Ignored("heartbeat"));
        }

        @Test
        void transactionMetadataIsIgnored() {
            RawRecord record = raw("dbserver.transaction", "{\"id\":\"1\"}", "{\"status\":\"BEGIN\",\"id\":\"1\"}");

            assertThat(DECODER.decode(record)).isEqualTo(new Decoded.Ignored("transaction metadata"));
        }

        @Test
        void aLogicalDecodingMessageIsIgnored() {
            assertThat(DECODER.decode(comment(VALID_KEY, VALID_VALUE.replace("\"op\":\"c\"", "\"op\":\"m\""))))
                    .isEqualTo(new Decoded.Ignored("logical decoding message"));
        }
    }

    // ---- hostile input --------------------------------------------------------------------

    private static final String COMMENTS_TOPIC = "dbserver.public.comments";
    private static final String VALID_KEY = "{\"comment_id\":\"c-1\"}";
    private static final String VALID_VALUE =
            "{\"before\":null,\"after\":{\"comment_id\":\"c-1\",\"video_id\":\"v-1\",\"comment_text\":\"hello\"},"
                    + "\"source\":{\"lsn\":7,\"ts_ms\":1000},\"op\":\"c\",\"ts_ms\":1001}";

    private static RawRecord raw(String topic, String key, String value) {
        return rawBytes(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static RawRecord rawBytes(String topic, byte[] key, byte[] value) {
        return new RawRecord(topic, PARTITION, OFFSET, key, value);
    }

    private static RawRecord comment(String key, String value) {
        return raw(COMMENTS_TOPIC, key, value);
    }

    @Nested
    class HostileInput {
        @Test
        void theValidBaselineDecodes() {
            assertThat(DECODER.decode(comment(VALID_KEY, VALID_VALUE))).isEqualTo(new Decoded.Change(RowChange.upsert(
                    "comments", "c-1", Row.of(row("comment_id", "c-1", "video_id", "v-1", "comment_text", "hello")),
                    7L, 1000L, false, new RowChange.Origin(COMMENTS_TOPIC, PARTITION, OFFSET))));
        }

        @Test
        void malformedJsonValueIsRejected() {
            Decoded decoded = DECODER.decode(comment(VALID_KEY, "{\"op\":\"c\",\"after\":{"));

            assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class,
                    rejected -> assertThat(rejected.reason()).startsWith("malformed JSON: "));
        }

        @Test
        void malformedJsonKeyIsRejected() {
            Decoded decoded = DECODER.decode(comment("{\"comment_id\":", VALID_VALUE));

            assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class,
                    rejected -> assertThat(rejected.reason()).startsWith("malformed JSON: "));
        }

        @Test
        void aJsonArrayValueIsRejected() {
            assertThat(DECODER.decode(comment(VALID_KEY, "[" + VALID_VALUE + "]")))
                    .isEqualTo(new Decoded.Rejected("not a Debezium envelope: the value is not a JSON object"));
        }

        @Test
        void aJsonNullValueIsRejected() {
            assertThat(DECODER.decode(comment(VALID_KEY, "null")))
                    .isEqualTo(new Decoded.Rejected("not a Debezium envelope: the value is not a JSON object"));
        }

        @Test
        void anEmptyValueIsRejected() {
            assertThat(DECODER.decode(comment(VALID_KEY, "")))
                    .isInstanceOf(Decoded.Rejected.class);
        }

        @Test
        void aMissingOpIsRejected() {
            assertThat(DECODER.decode(comment(VALID_KEY, VALID_VALUE.replace("\"op\":\"c\",", ""))))
                    .isEqualTo(new Decoded.Rejected("not a Debezium envelope: no op"));
        }

        @Test
        void anUnknownOpIsRejected() {
            assertThat(DECODER.decode(comment(VALID_KEY, VALID_VALUE.replace("\"op\":\"c\"", "\"op\":\"x\""))))
                    .isEqualTo(new Decoded.Rejected("unknown op 'x'"));
        }

        @Test
        void anUpsertWithoutAfterRowIsRejected() {
            String value = "{\"before\":null,\"after\":null,\"source\":{\"lsn\":7,\"ts_ms\":1000},\"op\":\"c\"}";

            assertThat(DECODER.decode(comment(VALID_KEY, value)))
                    .isEqualTo(new Decoded.Rejected("op c without an 'after' row"));
        }

        @Test
        void anUnknownTableIsRejected() {
            assertThat(DECODER.decode(raw("dbserver.public.playlists", VALID_KEY, VALID_VALUE)))
                    .isEqualTo(new Decoded.Rejected("topic dbserver.public.playlists carries no table of the sync spec"));
        }

        @Test
        void anUnknownTopicIsRejected() {
            assertThat(DECODER.decode(raw("orders", VALID_KEY, VALID_VALUE)))
                    .isEqualTo(new Decoded.Rejected("topic orders carries no table of the sync spec"));
        }

        @Test
        void anUpsertWithoutKeyBytesIsRejected() {
            assertThat(DECODER.decode(comment(null, VALID_VALUE))).isEqualTo(new Decoded.Rejected("missing key"));
        }

        @Test
        void anUpsertWithAnEmptyKeyObjectIsRejected() {
            assertThat(DECODER.decode(comment("{}", VALID_VALUE))).isEqualTo(new Decoded.Rejected("missing key"));
        }

        @Test
        void anUpsertWithANullKeyColumnIsRejected() {
            assertThat(DECODER.decode(comment("{\"comment_id\":null}", VALID_VALUE))).isEqualTo(new Decoded.Rejected("missing key"));
        }

        @Test
        void aKeyThatIsNotAnObjectIsRejected() {
            assertThat(DECODER.decode(comment("\"c-1\"", VALID_VALUE))).isEqualTo(new Decoded.Rejected("missing key"));
        }

        @Test
        void anEventWhoseSourceTableIsNotTheTopicsTableIsRejected() {
            String value = VALID_VALUE.replace("\"source\":{", "\"source\":{\"table\":\"payments\",");

            assertThat(DECODER.decode(comment(VALID_KEY, value))).isEqualTo(new Decoded.Rejected(
                    "unknown table: the event's source.table 'payments' is not 'comments', the table of topic " + COMMENTS_TOPIC));
        }

        @Test
        void aKeyColumnHoldingAnObjectIsRejected() {
            assertThat(DECODER.decode(comment("{\"comment_id\":{\"id\":\"c-1\"}}", VALID_VALUE)))
                    .isEqualTo(new Decoded.Rejected("wrong type: key column comment_id holds a JSON object, not a value"));
        }

        @Test
        void aKeyTheRowContradictsIsRejected() {
            assertThat(DECODER.decode(comment("{\"comment_id\":\"c-2\"}", VALID_VALUE)))
                    .isEqualTo(new Decoded.Rejected("the key (comment_id=c-2) disagrees with the row's comment_id (c-1)"));
        }

        @Test
        void aKeyIsComparedWithTheRowAsWritten() {
            String numeric = VALID_VALUE.replace("\"comment_id\":\"c-1\"", "\"comment_id\":7");

            assertThat(DECODER.decode(comment("{\"comment_id\":7}", numeric))).isInstanceOf(Decoded.Change.class);
        }

        @Test
        void aDeleteWithoutKeyIsRejected() {
            String delete = "{\"before\":{\"comment_id\":\"c-1\"},\"after\":null,\"source\":{\"lsn\":8,\"ts_ms\":1000},\"op\":\"d\"}";

            assertThat(DECODER.decode(comment(null, delete))).isEqualTo(new Decoded.Rejected("missing key"));
        }

        @Test
        void bytesThatAreNotUtf8AtAllAreRejected() {
            byte[] garbage = {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1};

            Decoded decoded = DECODER.decode(rawBytes(COMMENTS_TOPIC, VALID_KEY.getBytes(StandardCharsets.UTF_8), garbage));

            assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class,
                    rejected -> assertThat(rejected.reason()).startsWith("malformed JSON: "));
        }

        @Test
        void aValueWithLatin1TextInsteadOfUtf8IsRejected() {
            // BUG: DebeziumDecoder.decode builds `new String(record.value(), UTF_8)`, which silently replaces an
            // invalid UTF-8 sequence with U+FFFD: this record (a JSON object whose comment_text is "café" encoded
            // in ISO-8859-1, byte 0xE9) decodes to an UPSERT with comment_text "caf\uFFFD" instead of being
            // rejected, so the corrupted text is indexed. Expected: Rejected with a reason naming the encoding.
            byte[] latin1 = VALID_VALUE.replace("hello", "café").getBytes(StandardCharsets.ISO_8859_1);

            Decoded decoded = DECODER.decode(rawBytes(COMMENTS_TOPIC, VALID_KEY.getBytes(StandardCharsets.UTF_8), latin1));

            assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class,
                    rejected -> assertThat(rejected.reason()).containsIgnoringCase("UTF-8"));
        }

        @Test
        void aPreciseDecimalThatIsNotBase64IsRejected() {
            // BUG: ValueConverter.decimal calls Base64.getDecoder().decode(...) unguarded; a Decimal column holding
            // "not base64!" makes DebeziumDecoder.decode throw IllegalArgumentException instead of returning
            // Rejected (DecodeFunction's catch-all still dead-letters it, with "cannot decode: java.lang...").
            String value = """
                    {"schema":{"type":"struct","fields":[{"type":"struct","field":"after","fields":[
                        {"type":"string","field":"video_id"},
                        {"type":"bytes","field":"rating","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}}]}]},
                     "payload":{"before":null,"after":{"video_id":"v-1","rating":"not base64!"},"source":{"lsn":9,"ts_ms":1000},"op":"u"}}
                    """;

            Decoded decoded = DECODER.decode(raw("dbserver.public.videos", "{\"video_id\":\"v-1\"}", value));

            assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        }
    }
}
