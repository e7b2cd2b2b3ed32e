package org.elves.cli.exec;

import org.elves.cli.TextLines;

import java.io.PrintWriter;
import java.util.List;

/**
 * Text report for many hosts: one line per host as it finishes (ip, status, worker_flag, cost,
 * first line of the worker's message or the error), then the summary. Lines are cut to the
 * terminal's width so each host stays one line; --json has everything in full.
 */
final class FanOutText implements ExecReport {
    private final PrintWriter out;
    private final Progress progress;
    private final int columns;

    FanOutText(PrintWriter out, Progress progress, int columns) {
        this.out = out;
        this.progress = progress;
        this.columns = columns;
    }

    @Override
    public void onResult(HostResult result) {
        String line = line(result);
        progress.printAbove(() -> {
            out.println(line);
            out.flush();
        });
    }

    @Override
    public void finish(List<HostResult> results) {
        out.println(Summary.of(results).line());
        out.flush();
    }

    String line(HostResult r) {
        String text = switch (r.kind()) {
            case OK, WORKER_FAILED -> TextLines.firstLine(r.workerMessage());
            case API_ERROR, NO_ANSWER -> TextLines.firstLine(r.error());
        };
        String cost = r.workerCostMillis() == null ? "-" : r.workerCostMillis() + "ms";
        return TextLines.fit(String.format("%-15s %-9s %2s %8s  %s", r.ip(), r.kind().status(),
                TextLines.orDash(r.workerFlag()), cost, text), columns);
    }
}
