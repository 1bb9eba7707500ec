package io.datasync.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.decode.RawRecord;
import io.datasync.job.decode.RowChange;
import io.datasync.job.enrich.ArraySummary;
import io.datasync.job.enrich.DocumentInput;
import io.datasync.job.enrich.DocumentKey;
import io.datasync.job.enrich.DocumentState;
import io.datasync.job.enrich.FanOut;
import io.datasync.job.enrich.ParentKey;
import io.datasync.job.enrich.ParentSummary;
import io.datasync.job.enrich.ParentUpdate;
import io.datasync.job.enrich.Trace;
import io.datasync.job.normalize.LastRow;
import io.datasync.job.normalize.RowDelta;
import io.datasync.job.normalize.RowKey;
import io.datasync.job.sink.DocumentWrite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every serializer of the data path against what this version wrote: the serializer snapshot and
 * one serialized value per type are kept in {@code src/test/resources/serializers/} (written once
 * by the build that introduced the format, with {@code -Dserializers.write=true}). A later build
 * must still find its serializer compatible with the stored snapshot and read the stored value:
 * that is what lets a savepoint of this version restore into the next.
 */
class SerializerCompatibilityTest {
    private static final Path GOLDEN = Path.of("src/test/resources/serializers");
    private static final Trace TRACE = new Trace("comments", "c-1", 42, 1_700_000_000_000L);
    private static final Row ROW = Row.ofJson("{\"comment_id\":\"c-1\",\"video_id\":\"v-1\",\"likes\":3,\"rating\":4.50,\"text\":\"héllo 🧪\"}"
            .getBytes(StandardCharsets.UTF_8));

    static Stream<Arguments> samples() {
        return Stream.of(
                sample("Row", new Row.Serializer(), ROW),
                sample("RawRecord", new RawRecord.Serializer(), new RawRecord("dbserver.public.comments", 2, 99, "k".getBytes(StandardCharsets.UTF_8), null)),
                sample("RowChange", new RowChange.Serializer(), RowChange.upsert("comments", "c-1", ROW, 42, 7, true,
                        new RowChange.Origin("dbserver.public.comments", 1, 5))),
                sample("RowKey", new RowKey.Serializer(), new RowKey("comments", "c-1")),
                sample("RowDelta", new RowDelta.Serializer(), new RowDelta("comments", "c-1", null, ROW, 42, 7)),
                sample("LastRow", new LastRow.Serializer(), new LastRow(ROW, 42, 1234)),
                sample("DocumentKey", new DocumentKey.Serializer(), new DocumentKey("comments_index", "c-1")),
                sample("ParentKey", new ParentKey.Serializer(), new ParentKey("comments.video_id->videos.video_id", "v-1")),
                sample("DocumentInput-Part", new DocumentInput.Serializer(),
                        new DocumentInput.Part(new DocumentKey("comments_index", "c-1"), "video", "v-1", ROW.project(List.of("video_id")), TRACE)),
                sample("ParentUpdate-Child", new ParentUpdate.Serializer(),
                        new ParentUpdate.ChildChanged(new ParentKey("comments.video_id->videos.video_id", "v-1"), "c-1", Row.EMPTY, TRACE)),
                sample("ParentSummary", new ParentSummary.Serializer(),
                        new ParentSummary(ROW.project(List.of("video_id")), Map.of("videos_index/comments_by_video_id", Row.EMPTY), true)),
                sample("FanOut", new FanOut.Serializer(), new FanOut(0b101, "c-2", TRACE)),
                sample("DocumentState", new DocumentState.Serializer(), new DocumentState(ROW,
                        List.of(new DocumentState.PartEntry("video", "v-1", ROW.project(List.of("video_id")))), Map.of("agg", Row.EMPTY), 3,
                        DocumentState.HELD_FOR_SNAPSHOT, TRACE)),
                // Format 1 (ids only) is still read: a savepoint from before format 2 restores, its elements then read from the map.
                sample("ArraySummary-v1", new ArraySummary.Serializer(), new ArraySummary(List.of(new ArraySummary.Member("c-1", null),
                        new ArraySummary.Member("c-2", null)), 7, true)),
                // Format 2 (ids and elements) too: the ordering values are then parsed from the elements.
                sample("ArraySummary-v2", new ArraySummary.Serializer(), new ArraySummary(List.of(new ArraySummary.Member("c-1", ROW),
                        new ArraySummary.Member("c-2", ROW.project(List.of("video_id")))), 7, false)),
                sample("ArraySummary", new ArraySummary.Serializer(), new ArraySummary(List.of(
                        new ArraySummary.Member("c-1", java.util.Arrays.asList(new java.math.BigDecimal("4.50"), null, true, false, "c-1"), ROW),
                        new ArraySummary.Member("c-2", List.of(java.math.BigDecimal.ONE), ROW.project(List.of("video_id")))), 7, false)),
                sample("DocumentWrite", new DocumentWrite.Serializer(), new DocumentWrite("comments_index", "comments_index_v1", "c-1",
                        ROW.json(), 5L << 32 | 1, 7, "comments:c-1@42")));
    }

    private static <T> Arguments sample(String name, CompactSerializer<T> serializer, T value) {
        return Arguments.of(name, serializer, value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void aValueRoundTrips(String name, CompactSerializer<T> serializer, T value) throws IOException {
        assertThat(sameValue(read(serializer, write(serializer, value)), value)).isTrue();
        assertThat(serializer.copy(value)).isSameAs(value);
        assertThat(serializer.isImmutableType()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T> void whatThisVersionWroteIsStillReadable(String name, CompactSerializer<T> serializer, T value) throws IOException {
        if (Boolean.getBoolean("serializers.write")) {
            Files.createDirectories(GOLDEN);
            DataOutputSerializer snapshot = new DataOutputSerializer(64);
            TypeSerializerSnapshot.writeVersionedSnapshot(snapshot, serializer.snapshotConfiguration());
            Files.write(GOLDEN.resolve(name + ".snapshot"), snapshot.getCopyOfBuffer());
            Files.write(GOLDEN.resolve(name + ".data"), write(serializer, value));
        }
        TypeSerializerSnapshot<T> stored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(resource(name + ".snapshot")), getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<T> compatibility = serializer.snapshotConfiguration().resolveSchemaCompatibility(stored);

        assertThat(compatibility.isIncompatible()).as("the current serializer accepts the stored snapshot").isFalse();
        T restored = read(stored.restoreSerializer(), resource(name + ".data"));
        assertThat(sameValue(restored, value)).as("the stored value reads back as written").isTrue();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SerializerCompatibilityTest.class.getResourceAsStream("/serializers/" + name)) {
            assertThat(in).as(name + " is missing: run this test once with -Dserializers.write=true and commit the files").isNotNull();
            return in.readAllBytes();
        }
    }

    private static <T> byte[] write(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private static <T> T read(TypeSerializer<T> serializer, byte[] bytes) throws IOException {
        return serializer.deserialize(new DataInputDeserializer(bytes));
    }

    /** Records with byte arrays compare by identity: compare their serialized form instead. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof RawRecord x && b instanceof RawRecord y) {
            return x.topic().equals(y.topic()) && x.offset() == y.offset() && java.util.Arrays.equals(x.key(), y.key())
                    && java.util.Arrays.equals(x.value(), y.value());
        }
        if (a instanceof DocumentWrite x && b instanceof DocumentWrite y) {
            return x.id().equals(y.id()) && x.version() == y.version() && java.util.Arrays.equals(x.source(), y.source())
                    && x.index().equals(y.index()) && x.alias().equals(y.alias());
        }
        return a.equals(b);
    }
}
