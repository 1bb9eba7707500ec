package io.datasync.chaos;

import java.util.List;
import java.util.Locale;

/** Pure: the Markdown of a chaos run (the results table, then per fault what happened and what the logs said). */
public final class ChaosReport {
    private ChaosReport() {}

    public static String markdown(List<FaultResult> results, String setup) {
        StringBuilder md = new StringBuilder();
        md.append("# make chaos\n\n").append(setup).append("\n\n");
        md.append("| Fault | Changes applied | Documents checked | Lost | Duplicated | Resurrected | Stale | Fault lasted | Tasks RUNNING after | Writing again after | Recovered in | Clean after | Result |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (FaultResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %d | %d | %d | %d | %.1f s | %s | %s | %s | %.0f s | %s |%n", r.description(), r.changesApplied(),
                    r.documentsChecked(), r.lost(), r.duplicated(), r.resurrected(), r.stale(), r.downSeconds(),
                    seconds(r.tasksRunningSeconds()), seconds(r.writingSeconds()),
                    r.recoverySeconds() < 0 ? "not recovered" : String.format(Locale.ROOT, "%.1f s", r.recoverySeconds()), r.cleanSeconds(),
                    r.passed() ? "PASS" : "FAIL"));
        }
        long changes = results.stream().mapToLong(FaultResult::changesApplied).sum();
        md.append(String.format(Locale.ROOT, "%nChanges applied in all: %,d. %s%n", changes,
                results.stream().allMatch(FaultResult::passed) ? "Every fault: nothing lost, duplicated, resurrected or stale." : "**At least one fault failed.**"));
        md.append("\n*Fault lasted*: from the fault to its repair (the process restarted, OpenSearch back, the job restored). *Tasks RUNNING after*:"
                + " from the fault until every task of the job was RUNNING again, its state restored (— for faults that do not restart the"
                + " job; the restore time of each operator is in the notes). *Writing again after*: from the fault until OpenSearch applied a"
                + " write of the restored job, counted from the moment every task was RUNNING (its indexing totals): changes flow again."
                + " *Recovered in*: from"
                + " the repair until a row committed during the fault (a new video) was in OpenSearch (its real-time GET): the changes made while the job was down, and any backlog before them, are written."
                + " *Clean after*: from the end of the load until the verifier found every document of every index equal to SQL: the whole"
                + " backlog caught up (each verifier pass reads every document).\n");
        for (FaultResult r : results) {
            md.append("\n## ").append(r.description()).append("\n\n");
            r.notes().forEach(note -> md.append("- ").append(note).append('\n'));
            md.append("\nWhat the logs said (warnings, errors, recovery milestones; one line per distinct message):\n\n```\n");
            r.logExcerpt().forEach(line -> md.append(line).append('\n'));
            md.append("```\n");
        }
        return md.toString();
    }

    /** A duration, or a dash for what the fault did not involve (the job was not restarted). */
    private static String seconds(double seconds) {
        return seconds < 0 ? "—" : String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
