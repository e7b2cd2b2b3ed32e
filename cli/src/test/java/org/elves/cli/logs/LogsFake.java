package org.elves.cli.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.cli.FakeOpenApi.Reply;
import org.elves.cli.FakeOpenApi.Route;
import org.elves.protocol.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The logs endpoints of docs/api.md ("Logs: what ran where...") for {@link org.elves.cli.FakeOpenApi},
 * and rt/exec's {@code task_id}:
 * <ul>
 * <li>{@code /logs/rt|queues|centercron|selfcron}: two tasks of that type, page {@code page} of 3, 5 in all</li>
 * <li>{@code /logs/task}: {@link #DONE} (succeeded; timeline, states, a truncated mixed output),
 * {@link #FAILED}; any other id [415.1]</li>
 * <li>{@code /logs/output}: a task's events after {@code after_seq}, {@link #PAUSE_MILLIS} apart, as
 * server-sent events with a keep-alive comment; an unknown task is waited for
 * {@link #FOLLOW_WAIT_MILLIS}, then [415.1]. With {@link #dropAfterChunks} the first stream of a
 * task closes after that many chunks, before its end.</li>
 * <li>{@code /rt/exec} with {@code task_id}: the task's output is streamed (stdout "line 1", stderr
 * "oops", stdout "line 2", {@link #PAUSE_MILLIS} apart) and ends, on 10.0.0.1 succeeded, on
 * 10.0.0.2 failed (and its last line without a newline); then the fake's per-ip answer follows (on other agents the task never starts)</li>
 * </ul>
 */
public final class LogsFake implements Route {
    public static final String DONE = "0123456789ABCDEF";
    public static final String FAILED = "FEDCBA9876543210";
    public static final String CRON_RUN = "A49B1E8FA1B43BC5@1893456005";
    public static final String NOT_FOUND = "[415.1]Task Log Not Found";
    static final long PAUSE_MILLIS = 50;
    public static final long FOLLOW_WAIT_MILLIS = 3000;

    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    /** 0: streams run to the end; n: the first stream of each task closes after n chunks. */
    volatile int dropAfterChunks;
    /** When set, a stream waits for it after its first chunk (to see the client print before more comes). */
    volatile CountDownLatch gate;
    /** Set when a stream waited for {@link #gate} in vain: the client had not printed the first chunk. */
    volatile boolean gateMissed;

    /** One task's events as the Watcher would stream them; {@code end} is the last. */
    private static final class Task {
        final List<ObjectNode> events = new ArrayList<>();
        int streams;

        synchronized void add(String event, ObjectNode data) {
            events.add(Json.MAPPER.createObjectNode().put("event", event).set("data", data));
            notifyAll();
        }

        synchronized void output(long seq, String stream, String data) {
            add("output", Json.MAPPER.createObjectNode().put("seq", seq).put("stream", stream).put("data", data)
                    .put("time", "2030-01-01 00:00:00." + String.format("%03d", seq)));
        }

        synchronized void end(int resultFlag, String state, int workerFlag) {
            add("end", Json.MAPPER.createObjectNode().put("result_flag", resultFlag).put("state", state)
                    .put("worker_flag", workerFlag));
        }

        /** The event at index, waiting for it up to a while; null when none came. */
        synchronized ObjectNode await(int index) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.size() <= index) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return events.get(index);
        }

        /** The index after the last chunk with a seq up to afterSeq. */
        synchronized int start(long afterSeq) {
            int start = 0;
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                if (e.path("event").asText().equals("output") && e.path("data").path("seq").asLong() <= afterSeq) {
                    start = i + 1;
                }
            }
            return start;
        }

        synchronized boolean firstStream() {
            return streams++ == 0;
        }
    }

    public LogsFake() {
        Task done = new Task();
        done.output(1, "stdout", "head 1\nhead ");
        done.output(2, "stderr", "warn\n");
        done.output(3, "stdout", "2\n");
        done.add("truncated", Json.MAPPER.createObjectNode().put("dropped_bytes", 4096));
        done.output(7, "stdout", "tail\n");
        done.end(1, "succeeded", 1);
        tasks.put(DONE, done);
        Task failed = new Task();
        failed.output(1, "stdout", "starting\n");
        failed.output(2, "stderr", "boom\n");
        failed.end(0, "failed", 0);
        tasks.put(FAILED, failed);
    }

    @Override
    public Reply answer(String path, Map<String, String> p) {
        try {
            return switch (path) {
                case "/api/v2/logs/rt", "/api/v2/logs/queues", "/api/v2/logs/centercron", "/api/v2/logs/selfcron" ->
                        list(path.substring(path.lastIndexOf('/') + 1), p);
                case "/api/v2/logs/task" -> task(p.getOrDefault("task_id", ""));
                case "/api/v2/logs/output" -> output(p);
                case "/api/v2/rt/exec" -> exec(p);
                default -> null;
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(NOT_FOUND);
        }
    }

    private static Reply list(String type, Map<String, String> p) {
        String field = switch (type) {
            case "queues" -> "queue_exec_logs";
            case "rt" -> "rt_exec_logs";
            default -> type + "_exec_logs";
        };
        ObjectNode result = Json.MAPPER.createObjectNode();
        ArrayNode logs = result.putArray(field);
        logs.addObject().put("log_id", DONE).put("type", type).put("agent_ip", "10.0.0.1").put("instruct", "apptest")
                .put("func", "hello").put("state", "succeeded").put("result_flag", 1).put("worker_costtime", 1000)
                .put("auth_id", "7").put("starttime", "2030-01-01 00:00:00.000");
        // an agent cron's run: a longer id, no key asked for it, no cost yet
        logs.addObject().put("log_id", CRON_RUN).put("type", type).put("agent_ip", "10.0.0.2").put("instruct", "apptest")
                .put("func", "tick").put("state", "running").put("result_flag", 2)
                .put("starttime", "2030-01-01 00:00:05.000");
        result.put("now_page", Integer.parseInt(p.getOrDefault("page", "1")));
        result.put("all_page", 3);
        result.put("total_number", 5);
        return Reply.ok(result);
    }

    private static Reply task(String id) {
        if (!id.equals(DONE)) {
            return Reply.error(NOT_FOUND);
        }
        ObjectNode log = Json.MAPPER.createObjectNode().put("log_id", DONE).put("type", "rt").put("mode", "NP")
                .put("agent_ip", "10.0.0.1").put("instruct", "apptest").put("func", "hello")
                .put("param", "{\"my\":\"x\"}").put("timeout", 90).put("auth_id", "7")
                .put("starttime", "2030-01-01 00:00:00.000").put("agent_sync_flag", 1)
                .put("agent_sync_costtime", 1035).put("worker_flag", 1).put("worker_message", "hello\nworld")
                .put("worker_costtime", 1000).put("endtime", "2030-01-01 00:00:01.050").put("result_flag", 1)
                .put("state", "succeeded");
        log.putNull("agent_sync_error");
        ArrayNode states = log.putArray("states");
        for (String[] s : new String[][] {{"accepted", "00.000"}, {"sent", "00.010"}, {"running", "00.030"},
                {"succeeded", "01.045"}}) {
            states.addObject().put("state", s[0]).put("time", "2030-01-01 00:00:" + s[1]);
        }
        ArrayNode timeline = log.putArray("timeline");
        long start = 1_893_456_000_000L;
        Object[][] phases = {{"accepted", 0}, {"authorised", 2}, {"sent", 10}, {"agent_started", 30},
                {"agent_finished", 1030}, {"finished", 1045}, {"stored", 1050}};
        for (Object[] phase : phases) {
            int after = (Integer) phase[1];
            timeline.addObject().put("phase", (String) phase[0])
                    .put("time", String.format("2030-01-01 00:00:%02d.%03d", after / 1000, after % 1000))
                    .put("at", start + after).put("after_ms", after);
        }
        ObjectNode output = log.putObject("output");
        ArrayNode chunks = output.putArray("chunks");
        // out of order on purpose: the client sorts by seq
        chunks.addObject().put("seq", 7).put("stream", "stdout").put("data", "tail\n");
        chunks.addObject().put("seq", 1).put("stream", "stdout").put("data", "head 1\nhead ");
        chunks.addObject().put("seq", 2).put("stream", "stderr").put("data", "warn\n");
        chunks.addObject().put("seq", 3).put("stream", "stdout").put("data", "2\n");
        output.put("truncated", true).put("dropped_bytes", 4096).put("total_bytes", 4127);
        return Reply.ok(log);
    }

    private Reply output(Map<String, String> p) throws InterruptedException {
        String id = p.getOrDefault("task_id", "");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FOLLOW_WAIT_MILLIS);
        Task task;
        while ((task = tasks.get(id)) == null) {
            if (System.nanoTime() > deadline) {
                return Reply.error(NOT_FOUND);
            }
            Thread.sleep(10);
        }
        Task t = task;
        int start = t.start(Long.parseLong(p.getOrDefault("after_seq", "0")));
        int dropAfter = t.firstStream() ? dropAfterChunks : 0;
        return Reply.events(out -> stream(t, start, dropAfter, out));
    }

    private void stream(Task task, int start, int dropAfter, OutputStream out) throws IOException, InterruptedException {
        send(out, ": the Watcher streams task output\n\n");
        int chunks = 0;
        for (int i = start; ; i++) {
            ObjectNode event = task.await(i);
            if (event == null) {
                return;
            }
            String name = event.path("event").asText();
            send(out, "event: " + name + "\ndata: " + Json.text(event.path("data")) + "\n\n");
            if (name.equals("end")) {
                return;
            }
            if (name.equals("output")) {
                chunks++;
                CountDownLatch g = gate;
                if (chunks == 1 && g != null && !g.await(5, TimeUnit.SECONDS)) {
                    gateMissed = true;
                    return;
                }
                if (chunks == dropAfter) {
                    return;
                }
            }
            send(out, ": keep-alive\n\n");
            Thread.sleep(PAUSE_MILLIS);
        }
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A task started with our task_id: its output comes while it runs, then the exec's answer. */
    private Reply exec(Map<String, String> p) throws InterruptedException {
        String id = p.get("task_id");
        boolean ok = "10.0.0.1".equals(p.get("ip"));
        if (id == null || !ok && !"10.0.0.2".equals(p.get("ip"))) {
            return null; // not followed, or an agent the fake has no worker on: never started
        }
        Task task = new Task();
        tasks.put(id, task);
        task.output(1, "stdout", "line 1\n");
        Thread.sleep(PAUSE_MILLIS);
        task.output(2, "stderr", "oops\n");
        Thread.sleep(PAUSE_MILLIS);
        task.output(3, "stdout", ok ? "line 2\n" : "line 2"); // on 10.0.0.2 without the last newline
        task.end(ok ? 1 : 0, ok ? "succeeded" : "failed", ok ? 1 : 0);
        return null;
    }
}
