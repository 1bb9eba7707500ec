package io.datasync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.bench.FinalDocuments.Document;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchPiecesTest {
    @Test
    void theVerifiersValuesBecomeWhatTheJobWrites() {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("published", LocalDate.parse("2024-05-01"));
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("published_at", Instant.parse("2024-05-01T10:00:00Z"));
        document.put("likes", 3L);
        document.put("price", new BigDecimal("12.50"));
        document.put("video", video);

        assertThat(FinalDocuments.jsonReady(document)).containsEntry("published_at", "2024-05-01T10:00:00Z").containsEntry("likes", 3L)
                .containsEntry("price", new BigDecimal("12.50")).containsEntry("video", Map.of("published", "2024-05-01"));
    }

    @Test
    void aBulkBodyIsOneActionAndOneSourceLinePerDocumentWithIdsEscaped() {
        byte[] body = BulkLoader.ndjson("ceiling-comments_index", List.of(
                new Document("c1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new Document("c\"2", "{\"a\":2}".getBytes(StandardCharsets.UTF_8))));

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(
                "{\"index\":{\"_index\":\"ceiling-comments_index\",\"_id\":\"c1\"}}\n{\"a\":1}\n"
                        + "{\"index\":{\"_index\":\"ceiling-comments_index\",\"_id\":\"c\\\"2\"}}\n{\"a\":2}\n");
    }

    @Test
    void theReportListsTheSweepAndTheCeiling() {
        Ceiling.Result result = new Ceiling.Result(
                List.of(new Ceiling.Run(1000, 1, 10_000, 1.0), new Ceiling.Run(5000, 2, 10_000, 0.5)),
                new Ceiling.Run(5000, 2, 100_000, 4.0), Map.of("comments_index", 100_000L));

        String report = CeilingReport.markdown(result, Map.of("cores", 2));
        assertThat(report).contains("| 1000 | 1 | 10,000 | 1.0 | 10,000 |").contains("| 5000 | 2 | 100,000 | 4.0 | 25,000 |");
    }

    @Test
    void theJobReportGivesTheRatioToTheCeilingAndFailsARunWithDrift() {
        JobThroughput.Result clean = new JobThroughput.Result(100_000, 10.0, 2.5, Map.of("comments_index", 100_000L), true);
        JobThroughput.Result drifted = new JobThroughput.Result(100_000, 10.0, 2.5, Map.of("comments_index", 100_000L), false);

        assertThat(CeilingReport.jobMarkdown(clean, 40_000.0, Map.of())).contains("| 100,000 | 10.0 | 2.5 s | 10,000 | 40,000 | 0.25 | no drift |");
        assertThat(CeilingReport.jobMarkdown(drifted, null, Map.of())).contains("not measured").contains("DRIFT: failed run");
    }

    @Test
    void theCeilingIsReadBackFromItsJson(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("ceiling.json"), "{\"result\":{\"full\":{\"documents\":1000,\"seconds\":0.5}}}");

        assertThat(CeilingReport.ceilingDocsPerSecond(dir.resolve("ceiling.json"))).isEqualTo(2000.0);
        assertThat(CeilingReport.ceilingDocsPerSecond(dir.resolve("none.json"))).isNull();
    }
}
