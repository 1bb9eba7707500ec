package io.datasync.ops;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code make status}: one table for the whole pipeline (or JSON); exit 0 when every part is up and every task of
 * the job runs, 3 otherwise, 2 when the status cannot be asked for (a bad spec, say).
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "The state of every part of the pipeline, in one table.")
public final class StatusCli implements Callable<Integer> {
    @Mixin
    StatusOptions options;

    @Option(names = "--json", description = "The same as JSON (what the status service's /api/status answers), for scripts and monitors.")
    boolean json;

    public static void main(String[] args) {
        Commands.exit(new StatusCli(), args, 2);
    }

    @Override
    public Integer call() {
        PipelineSnapshot snapshot = options.pipeline().read();
        List<StatusTable.Row> rows = StatusTable.rows(snapshot);
        System.out.println(json ? StatusTable.json(snapshot) : StatusTable.render(rows).stripTrailing());
        return StatusTable.healthy(rows) ? 0 : 3;
    }
}
