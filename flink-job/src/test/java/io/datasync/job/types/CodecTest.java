package io.datasync.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class CodecTest {
    @Test
    void stringsAreWrittenAndReadInFlinksStringValueFormat() throws IOException {
        Random random = new Random(7);
        List<String> values = new ArrayList<>(List.of("", "c1", "comments_index", "grüße", "日本語", "\uD83D\uDE00 emoji", "x".repeat(200), "y".repeat(20_000)));
        for (int i = 0; i < 200; i++) {
            char[] chars = new char[random.nextInt(300)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = (char) random.nextInt(Character.MAX_VALUE + 1);
            }
            values.add(new String(chars));
        }
        values.add(null);
        for (String value : values) {
            DataOutputSerializer ours = new DataOutputSerializer(64);
            DataOutputSerializer flinks = new DataOutputSerializer(64);
            Codec.writeString(value, ours);
            StringValue.writeString(value, flinks);

            assertThat(ours.getCopyOfBuffer()).isEqualTo(flinks.getCopyOfBuffer());
            assertThat(Codec.readString(new DataInputDeserializer(flinks.getCopyOfBuffer()))).isEqualTo(value);
            assertThat(StringValue.readString(new DataInputDeserializer(ours.getCopyOfBuffer()))).isEqualTo(value);
            DataInputDeserializer twice = new DataInputDeserializer(concat(ours.getCopyOfBuffer(), ours.getCopyOfBuffer()));
            assertThat(Codec.readName(twice)).isEqualTo(value);
            assertThat(Codec.readString(twice)).as("the second read starts where the first ended").isEqualTo(value);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
