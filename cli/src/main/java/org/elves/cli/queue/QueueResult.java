package org.elves.cli.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.elves.cli.api.ElvesApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.Stack;

/** {@code elves queue result QUEUE_ID [--wait [SECONDS]]}: every task's state as a table. */
@Command(name = "result", description = {
        "Show every task of a queue: status, the task it depends on, worker_flag, cost and message; "
                + "then the counts.",
        "Exit 0 only when every task finished with worker_flag 1. With --wait, ask again until every "
                + "task is finish, stopped or skipped."})
public final class QueueResult extends QueueSubcommand {
    static final String PATH = "/api/v2/queue/result";
    static final int DEFAULT_WAIT_SECONDS = 600;
    static final long FIRST_POLL_MILLIS = 200;
    static final long MAX_POLL_MILLIS = 2000;

    @Parameters(index = "0", paramLabel = "QUEUE_ID", description = "Queue id from 'elves queue create'.")
    String queueId;

    @Option(names = "--wait", arity = "0..1", paramLabel = "SECONDS", fallbackValue = "" + DEFAULT_WAIT_SECONDS,
            preprocessor = OptionalSeconds.class,
            description = "Poll until every task is terminal, at most SECONDS (default " + DEFAULT_WAIT_SECONDS
                    + "); exit 3 if some are still running then.")
    Double waitSeconds;

    /**
     * {@code --wait QUEUE_ID}: the word after --wait is its value only when it is a number;
     * picocli alone would take the queue id for the seconds and fail.
     */
    static final class OptionalSeconds implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec spec, ArgSpec arg, Map<String, Object> info) {
            if (" ".equals(info.get("separator")) && (args.isEmpty() || !args.peek().matches("\\d+(\\.\\d*)?|\\.\\d+"))) {
                args.push(Integer.toString(DEFAULT_WAIT_SECONDS));
            }
            return false;
        }
    }

    @Override
    protected void check() {
        checkId("QUEUE_ID", queueId);
        if (waitSeconds != null && !(waitSeconds > 0)) {
            throw new IllegalArgumentException("--wait must be more than 0 seconds");
        }
    }

    @Override
    protected int run(ElvesApiClient client) throws InterruptedException {
        long deadline = waitSeconds == null ? 0 : System.nanoTime() + Math.round(waitSeconds * 1e9);
        long pause = FIRST_POLL_MILLIS;
        while (true) {
            JsonNode result = call(client, PATH, Map.of("queue_id", queueId));
            List<TaskRecord> tasks = TaskRecord.listOf(result);
            boolean done = tasks.stream().allMatch(TaskRecord::terminal);
            long left = deadline - System.nanoTime();
            if (waitSeconds == null || done || left <= 0) {
                show(result, tasks);
                if (waitSeconds != null && !done) {
                    err().println("queue " + queueId + ": " + tasks.stream().filter(t -> !t.terminal()).count()
                            + " of " + tasks.size() + " tasks still running/pendding after --wait "
                            + seconds(waitSeconds) + " s");
                    err().flush();
                    return EXIT_NO_ANSWER;
                }
                return tasks.stream().allMatch(t -> t.outcome() == TaskRecord.Outcome.OK) ? EXIT_OK : EXIT_FAILED;
            }
            Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
            pause = Math.min(pause * 2, MAX_POLL_MILLIS);
        }
    }

    private void show(JsonNode result, List<TaskRecord> tasks) {
        if (json) {
            printJson(TaskRecord.stableJson(result));
        } else {
            ResultTable.print(out(), tasks, parent.env().columns(120));
        }
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
