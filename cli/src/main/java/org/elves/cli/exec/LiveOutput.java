package org.elves.cli.exec;

import org.elves.cli.api.ApiSubcommand;
import org.elves.cli.api.ElvesApiClient;
import org.elves.cli.logs.OutputFollower;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * {@code exec --follow}: the task's output followed in a thread of its own, opened before the
 * call that starts the task under an id chosen here (rt/exec's {@code task_id}; the API waits for
 * a task that has not started yet). Once the call is answered the report waits for the stream's
 * end, so the output comes before the result.
 */
final class LiveOutput {
    /** After the call's answer the stream's end follows at once; this long it may take at most. */
    static final Duration END_GRACE = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String taskId;
    private final OutputFollower follower;
    private final PrintWriter err;
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean ended;

    private LiveOutput(ElvesApiClient client, String taskId, PrintWriter out, PrintWriter err) {
        this.taskId = taskId;
        this.follower = new OutputFollower(client, taskId, out, err);
        this.err = err;
        this.thread = new Thread(this::follow, "elves-exec-follow");
        thread.setDaemon(true);
    }

    /** Starts following a new task id; give the id to the call that starts the task. */
    static LiveOutput start(ElvesApiClient client, PrintWriter out, PrintWriter err) {
        LiveOutput live = new LiveOutput(client, newTaskId(), out, err);
        live.thread.start();
        return live;
    }

    /** 16 upper-case hex characters from a strong random source: a task id nobody can guess or has used. */
    static String newTaskId() {
        return String.format("%016X", RANDOM.nextLong());
    }

    String taskId() {
        return taskId;
    }

    private void follow() {
        try {
            ended = follower.follow() != null;
        } catch (ApiSubcommand.ApiFailure e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After the call: when the task ran, waits (at most {@link #END_GRACE}) for the rest of its
     * output; else, or then, stops following. Says on stderr when the output could not be followed.
     */
    void finish(HostResult result) throws InterruptedException {
        boolean ran = result.kind() == HostResult.Kind.OK || result.kind() == HostResult.Kind.WORKER_FAILED;
        if (ran) {
            thread.join(END_GRACE.toMillis());
        }
        follower.cancel();
        thread.interrupt();
        thread.join(END_GRACE.toMillis());
        if (!thread.isAlive()) {
            follower.endLines(); // the result starts a line of its own
        }
        if (ran && !ended) {
            err.println("output of " + taskId + " not followed to its end: "
                    + (failure != null ? failure.getMessage() : "no end within " + END_GRACE.toSeconds() + " s"));
            err.flush();
        }
    }
}
