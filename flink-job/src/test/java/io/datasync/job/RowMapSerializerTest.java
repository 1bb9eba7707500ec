package io.datasync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Rows through the serializer Flink uses for them in the job (network and state): equal, with shared column names. */
class RowMapSerializerTest {
    private static TypeSerializer<Map<String, Object>> serializer() {
        ExecutionConfig config = new ExecutionConfig();
        config.registerTypeWithKryoSerializer(LinkedHashMap.class, RowMapSerializer.class);
        return TypeInformation.of(new TypeHint<Map<String, Object>>() {}).createSerializer(config.getSerializerConfig());
    }

    private static Map<String, Object> roundTrip(TypeSerializer<Map<String, Object>> serializer, Map<String, Object> row) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(row, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static Map<String, Object> row() {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("video_id", "v1");
        video.put("title", "Ünïcode ✓");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("comment_id", "c1");
        row.put("likes", 3L);
        row.put("score", new BigDecimal("12.50"));
        row.put("pinned", true);
        row.put("country_code", null);
        row.put("video", video);
        return row;
    }

    @Test
    void aRowComesBackEqualInOrderWithItsNullsAndNestedMaps() throws Exception {
        Map<String, Object> back = roundTrip(serializer(), row());

        assertThat(back).isInstanceOf(LinkedHashMap.class).isEqualTo(row());
        assertThat(back.keySet()).containsExactly("comment_id", "likes", "score", "pinned", "country_code", "video");
    }

    @Test
    void columnNamesOfDifferentRowsAreOneStringInTheHeap() throws Exception {
        TypeSerializer<Map<String, Object>> serializer = serializer();
        Map<String, Object> first = roundTrip(serializer, row());
        Map<String, Object> second = roundTrip(serializer, row());

        String firstName = first.keySet().iterator().next();
        String secondName = second.keySet().iterator().next();
        assertThat(secondName).isSameAs(firstName);
    }

    @Test
    void aCopyIsDeep() {
        Map<String, Object> original = row();
        Map<String, Object> copy = serializer().copy(original);

        assertThat(copy).isEqualTo(original).isNotSameAs(original);
        assertThat(copy.get("video")).isEqualTo(original.get("video")).isNotSameAs(original.get("video"));
    }
}
