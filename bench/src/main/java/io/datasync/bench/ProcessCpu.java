package io.datasync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time a process has used, from {@code /proc/<pid>/stat}: user + system time of all its
 * threads (a JVM's GC and JIT threads included, which is why a whole process is measured and not
 * a thread), in clock ticks. Reading it costs the measured process nothing.
 */
final class ProcessCpu {
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessCpu() {}

    /** utime + stime of a {@code stat} line, in clock ticks (fields 14 and 15, counted after the command in parentheses). */
    static long ticks(String statLine) {
        // The command (field 2) may hold spaces and parentheses: fields are counted from its last ')'.
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split("\\s+");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The process's CPU time so far, in clock ticks; empty when it is gone or unreadable. */
    static OptionalLong ticks(long pid) {
        try {
            return OptionalLong.of(ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException gone) {
            return OptionalLong.empty();
        }
    }

    static double seconds(long ticks) {
        return ticks / (double) TICKS_PER_SECOND;
    }

    /** {@code getconf CLK_TCK} (100 on Linux since forever, but asked rather than assumed). */
    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | RuntimeException | InterruptedException unknown) {
            return 100;
        }
    }
}
