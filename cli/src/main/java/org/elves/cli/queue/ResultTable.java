package org.elves.cli.queue;

import org.elves.cli.TextLines;

import java.io.PrintWriter;
import java.util.List;

/**
 * The text of {@code queue result}: a header, one line per task cut to the terminal's width
 * (task id, ip, status, the task it depends on, worker_flag, cost, first line of the message or
 * error), then the counts. {@code --json} has everything in full.
 */
final class ResultTable {
    private static final String ROW = "%-16s  %-15s  %-8s  %-16s  %4s  %8s  %s";

    private ResultTable() {
    }

    static void print(PrintWriter out, List<TaskRecord> tasks, int columns) {
        out.println(TextLines.fit(String.format(ROW, "TASK", "IP", "STATUS", "DEPENDS", "FLAG", "COST", "MESSAGE"),
                columns));
        for (TaskRecord t : tasks) {
            out.println(line(t, columns));
        }
        out.println(summary(tasks));
        out.flush();
    }

    static String line(TaskRecord t, int columns) {
        String cost = t.workerCostTime().isEmpty() ? "-" : t.workerCostTime() + "ms";
        return TextLines.fit(String.format(ROW, t.id(), TextLines.orDash(t.ip()), TextLines.orDash(t.shownStatus()),
                TextLines.orDash(t.dependTaskId()), TextLines.orDash(t.workerFlag()), cost,
                TextLines.firstLine(t.message())), columns);
    }

    /** {@code N tasks: x finish ok, y failed, z skipped, w stopped, v running/pendding} */
    static String summary(List<TaskRecord> tasks) {
        int[] n = new int[TaskRecord.Outcome.values().length];
        for (TaskRecord t : tasks) {
            n[t.outcome().ordinal()]++;
        }
        return tasks.size() + (tasks.size() == 1 ? " task: " : " tasks: ")
                + n[TaskRecord.Outcome.OK.ordinal()] + " finish ok, "
                + n[TaskRecord.Outcome.FAILED.ordinal()] + " failed, "
                + n[TaskRecord.Outcome.SKIPPED.ordinal()] + " skipped, "
                + n[TaskRecord.Outcome.STOPPED.ordinal()] + " stopped, "
                + n[TaskRecord.Outcome.WAITING.ordinal()] + " running/pendding";
    }
}
