package io.datasync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the project (a stack script, a make target) and captures what it printed. */
public final class Shell {
    private Shell() {}

    /** The outcome of one command: exit code and combined stdout and stderr. */
    public record Result(List<String> command, int exitCode, String output) {
        public Result orThrow() {
            if (exitCode != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    public static Result run(Path workDir, Map<String, String> env, long timeoutSeconds, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            // Read before waiting: a full pipe would block the child.
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out after " + timeoutSeconds + " s");
            }
            // Where a long test spends its time, in the build's log.
            System.out.printf("[shell %tT] %s: exit %d after %.1f s%n", new java.util.Date(), summary(command), process.exitValue(), (System.nanoTime() - started) / 1e9);
            return new Result(List.of(command), process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** The command cut at 160 characters: make chaos's and make bench's arguments run to several lines. */
    private static String summary(String... command) {
        String joined = String.join(" ", command);
        return joined.length() > 160 ? joined.substring(0, 160) + "…" : joined;
    }
}
