package io.datasync.job.types;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowBuilderTest {
    private static final Row ROW = Row.ofJson("{\"comment_id\":\"c-1\",\"likes\":3,\"rating\":4.50,\"text\":\"h\\\"é\\n🧪\",\"tags\":[1,{\"a\":null}]}"
            .getBytes(StandardCharsets.UTF_8));

    @Test
    void splicedFieldsGiveTheBytesJacksonsGeneratorWrites() {
        Row spliced = new RowBuilder(8).fieldsOf(ROW).field("video", Row.of(Map.of("title", "T"))).field("user", null)
                .value("score", new BigDecimal("1.50")).value("name \"quoted\"", "x\ty").value("flag", true).value("count", 7L)
                .array("top", List.of(ROW, Row.EMPTY)).array("none", List.of()).build();

        Row generated = Row.write(generator -> {
            ROW.forEachField((name, start, end) -> {
                generator.writeFieldName(name);
                generator.writeRawValue(new String(ROW.json(), start, end - start, StandardCharsets.UTF_8));
            });
            generator.writeFieldName("video");
            generator.writeRawValue("{\"title\":\"T\"}");
            generator.writeFieldName("user");
            generator.writeNull();
            generator.writeFieldName("score");
            generator.writeNumber("1.50");
            generator.writeStringField("name \"quoted\"", "x\ty");
            generator.writeBooleanField("flag", true);
            generator.writeNumberField("count", 7L);
            generator.writeFieldName("top");
            generator.writeStartArray();
            generator.writeRawValue(ROW.toString());
            generator.writeRawValue("{}");
            generator.writeEndArray();
            generator.writeFieldName("none");
            generator.writeStartArray();
            generator.writeEndArray();
        });

        assertThat(spliced.toString()).isEqualTo(generated.toString());
    }

    @Test
    void anEmptyOrSpacedObjectIsSplicedAsItsFieldsOnly() throws Exception {
        Row spaced = Row.ofJson(" { \"a\" : 1 ,\n \"b\" : [ 2 ] } ".getBytes(StandardCharsets.UTF_8));

        Row built = new RowBuilder(0).fieldsOf(Row.EMPTY).fieldsOf(spaced).fieldsOf(Row.EMPTY).field("c", Row.EMPTY).build();

        assertThat(new ObjectMapper().readValue(built.json(), LinkedHashMap.class)).containsExactly(
                Map.entry("a", 1), Map.entry("b", List.of(2)), Map.entry("c", Map.of()));
        assertThat(new RowBuilder(0).fieldsOf(Row.EMPTY).build()).isEqualTo(Row.EMPTY);
    }

    @Test
    void eachFieldsRangeHoldsItsValueAsWritten() {
        List<String> seen = new ArrayList<>();

        ROW.forEachField((name, start, end) -> seen.add(name + "=" + new String(ROW.json(), start, end - start, StandardCharsets.UTF_8)));

        assertThat(seen).containsExactly("comment_id=\"c-1\"", "likes=3", "rating=4.50", "text=\"h\\\"é\\n🧪\"", "tags=[1,{\"a\":null}]");
    }
}
