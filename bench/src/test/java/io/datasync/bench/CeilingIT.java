package io.datasync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.datasync.job.spec.SyncSpecParser;
import io.datasync.testing.TestStack;
import io.datasync.testing.TestStack.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ceiling benchmark at tiny scale (the shipped sample) on a real PostgreSQL and OpenSearch: it runs, and loads every document. */
class CeilingIT {
    static final TestStack STACK = TestStack.create("bench");

    @BeforeAll
    static void start() {
        STACK.make("start", "DATA_DIR=postgres/sample").orThrow();
        STACK.start(Service.OPENSEARCH);
    }

    @AfterAll
    static void stop() {
        STACK.close();
    }

    @Test
    void theSampleIsLoadedWholeWithTheBestSweptSettingAndTheResultsAreWritten() throws Exception {
        Path out = Files.createTempDirectory("bench-results");
        int exit = new picocli.CommandLine(new BenchCli()).execute("ceiling", "--opensearch-url", STACK.openSearchUrl(), "--pg-port", Integer.toString(STACK.postgresPort()),
                "--sweep-documents", "500", "--bulk-sizes", "100,500", "--concurrency", "1,2", "--out", out.toString());
        assertThat(exit).isZero();

        String report = Files.readString(out.resolve("ceiling.md"));
        assertThat(Files.readString(out.resolve("ceiling.json"))).contains("\"benchmark\" : \"ceiling\"");
        try (Connection db = STACK.connect(); OpenSearchRest openSearch = new OpenSearchRest(STACK.openSearchUrl())) {
            // The sample's 2,000 comments less its soft-deleted ones: those have no document.
            try (var statement = db.createStatement(); var rs = statement.executeQuery("SELECT count(*) FROM comments WHERE deleted_at IS NULL")) {
                rs.next();
                assertThat(rs.getLong(1)).isLessThan(2000);
                assertThat(report).contains("**Ceiling**").contains("comments_index=" + rs.getLong(1));
            }
            Ceiling.Result again = new Ceiling(SyncSpecParser.parse(SyncSpecParser.DEFAULT_SPEC), SyncSpecParser.DEFAULT_SPEC, openSearch)
                    .measure(db, 100, List.of(500), List.of(1));
            assertThat(again.full().documents()).isEqualTo(again.documentsPerIndex().values().stream().mapToLong(Long::longValue).sum());
        }
    }
}
