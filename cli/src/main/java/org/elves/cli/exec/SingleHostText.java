package org.elves.cli.exec;

import org.elves.cli.TextLines;

import java.io.PrintWriter;
import java.util.List;

/**
 * Text report for one host, shaped for scripts: the worker's own output alone on stdout, so it
 * can be piped on; what Elves has to say about the call on stderr.
 */
final class SingleHostText implements ExecReport {
    private final PrintWriter out;
    private final PrintWriter err;

    SingleHostText(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void onResult(HostResult result) {
        // nothing to show before the one result is complete
    }

    @Override
    public void finish(List<HostResult> results) {
        HostResult r = results.get(0);
        switch (r.kind()) {
            case NO_ANSWER -> err.println("no answer: " + r.error());
            case API_ERROR -> err.println(r.error());
            case OK, WORKER_FAILED -> {
                String message = r.workerMessage();
                if (message != null && !message.isEmpty()) {
                    out.print(message.endsWith("\n") ? message : message + "\n");
                    out.flush();
                }
                err.println(r.ip() + " " + r.kind().status()
                        + " worker_flag=" + TextLines.orDash(r.workerFlag())
                        + " cost=" + TextLines.orDash(r.workerCostMillis()) + "ms"
                        + " task=" + TextLines.orDash(r.taskId()));
            }
        }
        err.flush();
    }
}
