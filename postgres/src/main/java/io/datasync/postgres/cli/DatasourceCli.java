package io.datasync.postgres.cli;

import io.datasync.postgres.csv.MalformedCsvException;
import io.datasync.postgres.csv.SeedTable;
import io.datasync.postgres.db.ConnectionSettings;
import io.datasync.postgres.db.Inspector;
import io.datasync.postgres.db.Schema;
import io.datasync.postgres.generate.GeneratorSettings;
import io.datasync.postgres.generate.SeedGenerator;
import io.datasync.postgres.load.LoadReport;
import io.datasync.postgres.load.SeedLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The datasource command line: install the schema, generate and load the seed data, inspect the
 * database. Connection settings come from PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD.
 */
@Command(
        name = "datasource",
        mixinStandardHelpOptions = true,
        description = "PostgreSQL datasource of data-sync-opensearch: schema, seed data, inspection.",
        subcommands = {
            DatasourceCli.Generate.class,
            DatasourceCli.Load.class,
            DatasourceCli.Ensure.class,
            DatasourceCli.Reset.class,
            DatasourceCli.Health.class,
            DatasourceCli.InspectSchema.class,
            DatasourceCli.InspectData.class
        })
public final class DatasourceCli {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new DatasourceCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + describe(e));
                    return 1;
                });
    }

    private static String describe(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return "cannot connect to PostgreSQL (" + sql.getMessage() + "); is it running? (make start)";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** A command that talks to the database. */
    abstract static class DatabaseCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() throws Exception {
            try (Connection connection = ConnectionSettings.fromEnvironment(System.getenv()).connect()) {
                return run(connection);
            } finally {
                out().flush();
            }
        }

        abstract Integer run(Connection connection) throws Exception;
    }

    /** Where seed CSVs come from: a folder the user names, or else a generated set (cached). */
    static final class DataSource {
        @Option(names = "--data-dir", description = "Folder with videos.csv, users.csv and comments.csv (e.g. the real seed); when given, nothing is generated.")
        Path dataDir;

        @Option(names = "--comments", defaultValue = "500000", description = "Comments of the generated set (default: ${DEFAULT-VALUE}, the seed size).")
        int comments;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed of the generated set (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--cache-dir", defaultValue = "var/data", description = "Where generated sets are kept (default: ${DEFAULT-VALUE}).")
        Path cacheDir;

        /** The folder to load, generating it first when it is a generated set not made yet. */
        Path resolve(PrintWriter out) throws IOException {
            if (dataDir != null) {
                SeedLoader.checkDataDir(dataDir);
                return dataDir;
            }
            Path dir = cacheDir.resolve("generated-v" + SeedGenerator.VERSION + "-seed" + seed + "-" + comments);
            if (!Files.isDirectory(dir)) {
                GeneratorSettings settings = GeneratorSettings.forComments(seed, comments);
                out.printf("generating %s into %s%n", settings, dir);
                out.flush();
                // Written aside and moved in whole; a folder of its own, since two stacks may generate the same set at once.
                Path partial = dir.resolveSibling(dir.getFileName() + ".partial-" + ProcessHandle.current().pid());
                deleteRecursively(partial);
                try {
                    SeedGenerator.write(settings, partial);
                    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    deleteRecursively(partial);
                    if (!Files.isDirectory(dir)) {
                        throw e;
                    }
                    // another process moved the same set in first
                }
            }
            return dir;
        }
    }

    @Command(name = "generate", description = "Write a deterministic seed-shaped data set as CSVs.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, description = "Folder to write videos.csv, users.csv, comments.csv into.")
        Path out;

        @Option(names = "--comments", defaultValue = "500000", description = "Number of comments (default: ${DEFAULT-VALUE}); videos and users scale with it.")
        int comments;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws IOException {
            long started = System.nanoTime();
            var counts = SeedGenerator.write(GeneratorSettings.forComments(seed, comments), out);
            spec.commandLine().getOut().printf("wrote %s to %s in %.1f s%n", counts, out, (System.nanoTime() - started) / 1e9);
            return 0;
        }
    }

    @Command(name = "load", description = "COPY the seed CSVs into empty tables, all or nothing.")
    static final class Load extends DatabaseCommand {
        @Mixin
        DataSource data;

        @Override
        Integer run(Connection connection) throws Exception {
            Schema.apply(connection);
            report(load(connection, data.resolve(out()), out()), out());
            return 0;
        }
    }

    @Command(name = "ensure", description = "Install the schema if missing and load the data if the tables are empty (make start).")
    static final class Ensure extends DatabaseCommand {
        @Mixin
        DataSource data;

        @Override
        Integer run(Connection connection) throws Exception {
            Schema.apply(connection);
            var counts = SeedLoader.countRows(connection);
            if (counts.values().stream().anyMatch(n -> n > 0)) {
                out().printf("tables already hold data (%s); nothing loaded%n", format(counts));
                return 0;
            }
            report(load(connection, data.resolve(out()), out()), out());
            return 0;
        }
    }

    @Command(name = "reset", description = "Drop the tables and load the baseline again. Destroys every change made since.")
    static final class Reset extends DatabaseCommand {
        @Mixin
        DataSource data;

        @Option(names = "--yes", description = "Do not ask for confirmation (CI).")
        boolean yes;

        @Override
        Integer run(Connection connection) throws Exception {
            Path dir = data.resolve(out());
            if (!yes && !confirmed()) {
                out().println("reset cancelled");
                return 1;
            }
            Schema.drop(connection);
            Schema.apply(connection);
            report(load(connection, dir, out()), out());
            return 0;
        }

        private boolean confirmed() {
            var console = System.console();
            if (console == null) {
                spec.commandLine().getErr().println("reset drops all data; no terminal to confirm on, so pass --yes (make reset CONFIRM=yes)");
                return false;
            }
            String answer = console.readLine("reset drops every table and reloads the baseline data. Continue? [y/N] ");
            return answer != null && answer.trim().equalsIgnoreCase("y");
        }
    }

    @Command(name = "health", description = "Check that PostgreSQL is reachable and ready for change data capture.")
    static final class Health extends DatabaseCommand {
        @Override
        Integer run(Connection connection) throws Exception {
            boolean healthy = true;
            for (Inspector.Check check : new Inspector(connection).health()) {
                out().printf("%-4s %-50s %s%n", check.ok() ? "ok" : "FAIL", check.name(), check.found());
                healthy &= check.ok();
            }
            out().println(healthy ? "healthy" : "UNHEALTHY");
            return healthy ? 0 : 1;
        }
    }

    @Command(name = "inspect-schema", description = "Show tables, columns, keys, indexes, triggers and replica identity.")
    static final class InspectSchema extends DatabaseCommand {
        @Override
        Integer run(Connection connection) throws Exception {
            out().print(new Inspector(connection).schemaReport());
            return 0;
        }
    }

    @Command(name = "inspect-data", description = "Show row counts, skew, NULLs and sample rows.")
    static final class InspectData extends DatabaseCommand {
        @Override
        Integer run(Connection connection) throws Exception {
            out().print(new Inspector(connection).dataReport());
            return 0;
        }
    }

    private static LoadReport load(Connection connection, Path dir, PrintWriter out) throws SQLException, IOException, MalformedCsvException {
        out.printf("loading %s%n", dir);
        out.flush();
        return new SeedLoader(line -> {
            out.println(line);
            out.flush();
        }).load(connection, dir);
    }

    private static void report(LoadReport report, PrintWriter out) {
        out.printf("loaded %s: %,d rows in %.1f s%n", format(report.rowsByTable()), report.totalRows(), report.elapsed().toMillis() / 1000.0);
    }

    private static String format(java.util.Map<SeedTable, Long> counts) {
        StringBuilder out = new StringBuilder();
        counts.forEach((table, n) -> out.append(out.isEmpty() ? "" : ", ").append(table.tableName()).append(' ').append(String.format("%,d", n)));
        return out.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
