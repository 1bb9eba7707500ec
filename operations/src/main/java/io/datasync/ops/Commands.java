package io.datasync.ops;

import picocli.CommandLine;

/** How every command of this module runs: picocli, and an exception that ends it printed as one line ("error: …") with its exit code. */
final class Commands {
    private Commands() {}

    static void exit(Object command, String[] args, int onError) {
        System.exit(new CommandLine(command)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return onError;
                })
                .execute(args));
    }
}
