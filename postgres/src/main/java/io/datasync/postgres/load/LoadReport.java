package io.datasync.postgres.load;

import io.datasync.postgres.csv.SeedTable;
import java.time.Duration;
import java.util.Map;

/** What a load committed: rows per table as counted in the database afterwards, and how long it took. */
public record LoadReport(Map<SeedTable, Long> rowsByTable, Duration elapsed) {
    public long totalRows() {
        return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }
}
