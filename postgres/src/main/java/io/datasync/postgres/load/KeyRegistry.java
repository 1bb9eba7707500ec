package io.datasync.postgres.load;

import io.datasync.postgres.csv.CsvRow;
import io.datasync.postgres.csv.SeedTable;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Remembers the keys loaded so far, so that a duplicate key or a reference to a missing parent is
 * reported with its CSV line before PostgreSQL sees it (whose COPY error names no CSV line).
 */
final class KeyRegistry {
    private final Map<SeedTable, Set<String>> keys = new EnumMap<>(SeedTable.class);

    /** Records the row's key; returns why the row is rejected, if it is. */
    Optional<String> admit(SeedTable table, CsvRow row) {
        var columns = table.columns();
        for (int i = 0; i < columns.size(); i++) {
            var parent = columns.get(i).references();
            if (parent.isPresent()) {
                SeedTable parentTable = SeedTable.byTableName(parent.get()).orElseThrow();
                String value = row.values().get(i);
                if (!keys.getOrDefault(parentTable, Set.of()).contains(value)) {
                    return Optional.of(columns.get(i).name() + " '" + value + "' is not in " + parentTable.fileName());
                }
            }
        }
        if (!keys.computeIfAbsent(table, t -> new HashSet<>()).add(row.key())) {
            return Optional.of("duplicate " + table.key().name() + " '" + row.key() + "'");
        }
        return Optional.empty();
    }
}
