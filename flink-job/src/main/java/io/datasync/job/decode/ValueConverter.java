package io.datasync.job.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Base64;

/**
 * Converts one column value of a Debezium event into what a document holds: timestamps as ISO-8601
 * strings, decimals as numbers, never epoch microseconds or base64. With a field schema the
 * semantic type decides; without one the JSON value is taken as it is (the connector's isostring
 * and string modes make schema-less events self-describing).
 */
final class ValueConverter {
    private ValueConverter() {}

    static Object convert(JsonNode value, JsonNode schema) {
        if (value == null || value.isNull()) {
            return null;
        }
        String name = schema == null ? "" : schema.path("name").asText("");
        return switch (name) {
            case "io.debezium.time.MicroTimestamp" -> instant(Math.floorDiv(value.asLong(), 1_000_000L), Math.floorMod(value.asLong(), 1_000_000L) * 1_000L);
            case "io.debezium.time.NanoTimestamp" -> instant(Math.floorDiv(value.asLong(), 1_000_000_000L), Math.floorMod(value.asLong(), 1_000_000_000L));
            case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp" ->
                    instant(Math.floorDiv(value.asLong(), 1_000L), Math.floorMod(value.asLong(), 1_000L) * 1_000_000L);
            case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> LocalDate.ofEpochDay(value.asLong()).toString();
            case "io.debezium.time.MicroTime" -> LocalTime.ofNanoOfDay(value.asLong() * 1_000L).toString();
            case "io.debezium.time.NanoTime" -> LocalTime.ofNanoOfDay(value.asLong()).toString();
            case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time" -> LocalTime.ofNanoOfDay(value.asLong() * 1_000_000L).toString();
            case "org.apache.kafka.connect.data.Decimal" -> decimal(value.asText(), schema.path("parameters").path("scale").asInt(0));
            case "io.debezium.data.VariableScaleDecimal" -> decimal(value.path("value").asText(), value.path("scale").asInt(0));
            default -> plain(value);
        };
    }

    private static String instant(long seconds, long nanos) {
        return Instant.ofEpochSecond(seconds, nanos).toString();
    }

    private static BigDecimal decimal(String base64, int scale) {
        return new BigDecimal(new BigInteger(Base64.getDecoder().decode(base64)), scale);
    }

    private static Object plain(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.asLong() : value.bigIntegerValue();
        }
        if (value.isFloatingPointNumber()) {
            return value.isBigDecimal() ? value.decimalValue() : value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        // Arrays and structs (json, arrays, composite types) stay as their JSON text.
        return value.toString();
    }
}
