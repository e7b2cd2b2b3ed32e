package org.elves.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.elves.cli.TextLines;
import org.elves.cli.api.ApiResponse;
import org.elves.cli.api.ApiStream;
import org.elves.cli.api.ApiSubcommand;
import org.elves.cli.api.ElvesApiClient;
import org.elves.protocol.Json;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;

/**
 * Follows one task's output as it runs ({@code /api/v2/logs/output}, docs/api.md "Live output"):
 * each chunk's data goes to stdout (stderr chunks to stderr) as it arrives, a gap the Watcher left
 * out is noted on stderr, and the {@code end} event is returned. A stream that breaks off before
 * the end is opened again after the last chunk seen ({@code after_seq}), so nothing is printed
 * twice, at most {@link #ATTEMPTS} times in a row with a doubling pause. {@link #cancel} ends it
 * from another thread.
 */
public final class OutputFollower {
    static final String PATH = "/api/v2/logs/output";
    /** The server waits up to follow-wait-ms (30 s) for a task that has not started before it answers. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(45);
    static final int ATTEMPTS = 5;
    static final long FIRST_PAUSE_MILLIS = 200;

    /** The task's end as the stream told it: result_flag 1 success, 0 failure. */
    public record End(String resultFlag, String state, String workerFlag) {
        public boolean succeeded() {
            return "1".equals(resultFlag);
        }

        /** {@code task ID succeeded, worker_flag 1} */
        public String line(String taskId) {
            return "task " + taskId + " " + TextLines.orDash(state) + ", worker_flag " + TextLines.orDash(workerFlag);
        }
    }

    private final ElvesApiClient client;
    private final String taskId;
    private final PrintWriter out;
    private final PrintWriter err;
    private final long firstPauseMillis;
    private volatile boolean cancelled;
    private volatile ApiStream current;
    // used by the thread in follow() (and note() after it); volatile as cancel() comes from another
    private volatile long lastSeq;
    private volatile long droppedShown;
    private volatile boolean errAtLineStart = true;
    private volatile boolean outAtLineStart = true;

    public OutputFollower(ElvesApiClient client, String taskId, PrintWriter out, PrintWriter err) {
        this(client, taskId, out, err, FIRST_PAUSE_MILLIS);
    }

    OutputFollower(ElvesApiClient client, String taskId, PrintWriter out, PrintWriter err, long firstPauseMillis) {
        this.client = client;
        this.taskId = taskId;
        this.out = out;
        this.err = err;
        this.firstPauseMillis = firstPauseMillis;
    }

    /**
     * Prints the output until the task's end and returns it; null when cancelled.
     *
     * @throws ApiSubcommand.ApiFailure the API refused (e.g. [415.1], no such task), or gave no
     *                                  answer: at once, or {@link #ATTEMPTS} times after the stream had been open
     */
    public End follow() throws InterruptedException {
        boolean wasOpen = false;
        int failures = 0;
        while (!cancelled) {
            ApiStream stream = client.stream(PATH, Map.of("task_id", taskId, "after_seq", Long.toString(lastSeq)),
                    OPEN_TIMEOUT);
            String problem;
            if (!stream.open()) {
                ApiResponse refusal = stream.refusal();
                if (refusal.answered()) {
                    throw new ApiSubcommand.ApiFailure(ApiSubcommand.EXIT_API_ERROR, refusal.error());
                }
                problem = "no answer: " + refusal.noAnswerReason();
                if (!wasOpen) {
                    throw new ApiSubcommand.ApiFailure(ApiSubcommand.EXIT_NO_ANSWER, problem);
                }
            } else {
                wasOpen = true;
                current = stream;
                long seqBefore = lastSeq;
                try {
                    End end = cancelled ? null : read(new ServerSentEvents(stream::readLine));
                    if (end != null || cancelled) {
                        return end;
                    }
                    problem = "the stream ended before the task";
                } catch (IOException e) {
                    if (cancelled) {
                        return null;
                    }
                    problem = "the stream broke off (" + e.getMessage() + ")";
                } finally {
                    current = null;
                    stream.close();
                }
                if (lastSeq > seqBefore) {
                    failures = 0;
                }
            }
            if (++failures >= ATTEMPTS) {
                throw new ApiSubcommand.ApiFailure(ApiSubcommand.EXIT_NO_ANSWER,
                        "output of " + taskId + ": " + problem + "; gave up after " + ATTEMPTS + " attempts");
            }
            note("output of " + taskId + ": " + problem + "; reading on after chunk " + lastSeq);
            Thread.sleep(firstPauseMillis << (failures - 1));
        }
        return null;
    }

    /** Ends {@link #follow} from another thread: it returns null soon. */
    public void cancel() {
        cancelled = true;
        ApiStream stream = current;
        if (stream != null) {
            stream.close();
        }
    }

    private End read(ServerSentEvents events) throws IOException {
        ServerSentEvents.Event event;
        while ((event = events.next()) != null) {
            JsonNode data = parse(event.data());
            switch (event.name()) {
                case "output" -> chunk(data);
                case "truncated" -> truncated(data.path("dropped_bytes").asLong(0));
                case "end" -> {
                    return new End(TextLines.field(data, "result_flag"), TextLines.field(data, "state"),
                            TextLines.field(data, "worker_flag"));
                }
                default -> {
                    // an event newer than this client: nothing to show
                }
            }
        }
        return null;
    }

    private void chunk(JsonNode chunk) {
        long seq = chunk.path("seq").asLong(0);
        if (seq <= lastSeq) {
            return; // seen before the stream was opened again
        }
        String data = TextLines.field(chunk, "data");
        if ("stderr".equals(TextLines.field(chunk, "stream"))) {
            err.print(data);
            err.flush();
            if (!data.isEmpty()) {
                errAtLineStart = data.endsWith("\n");
            }
        } else {
            out.print(data);
            out.flush();
            if (!data.isEmpty()) {
                outAtLineStart = data.endsWith("\n");
            }
        }
        lastSeq = seq;
    }

    private void truncated(long droppedBytes) {
        if (droppedBytes > droppedShown) {
            droppedShown = droppedBytes;
            note(OutputText.leftOut(droppedBytes));
        }
    }

    /** A line of Elves' own on stderr, on a line of its own even after a partial line of output. */
    void note(String line) {
        if (!errAtLineStart) {
            err.println();
        }
        err.println(line);
        err.flush();
        errAtLineStart = true;
    }

    /** Ends a last line of output left open on stdout or stderr, so what is printed next starts a line. */
    public void endLines() {
        if (!outAtLineStart) {
            out.println();
            out.flush();
            outAtLineStart = true;
        }
        if (!errAtLineStart) {
            err.println();
            err.flush();
            errAtLineStart = true;
        }
    }

    private static JsonNode parse(String data) {
        try {
            JsonNode node = Json.MAPPER.readTree(data);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
