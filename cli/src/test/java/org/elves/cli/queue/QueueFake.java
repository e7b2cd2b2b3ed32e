package org.elves.cli.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.elves.cli.FakeOpenApi.Reply;
import org.elves.cli.FakeOpenApi.Route;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.Json;
import org.elves.protocol.TaskIds;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue endpoints of the reference (§3.4.5, docs/api.md) with their state in memory, for
 * {@link org.elves.cli.FakeOpenApi}. Time is the number of /queue/result calls: each one first
 * moves a submitted queue one step (running tasks finish, then waiting tasks whose parent
 * succeeded start and those whose parent did not are skipped: stopped, marked skipped), then answers. Outcome by ip:
 * <ul>
 * <li>10.0.0.1: worker_flag "1", a two-line message, cost "74"</li>
 * <li>10.0.0.2: worker_flag "0", "disk full"</li>
 * <li>10.0.0.5: worker_flag -1 and cost 5 as numbers, as the original center sends them</li>
 * <li>10.0.0.9: never answers, stays running (a lost agent)</li>
 * </ul>
 */
final class QueueFake implements Route {
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final AtomicInteger resultCalls = new AtomicInteger();
    /** The reference's records have no ip; ours may add it. Both must render. */
    volatile boolean recordsHaveIp = true;

    private static final class Queue {
        final String app;
        String status = "pendding";
        final Map<String, Map<String, String>> tasks = new LinkedHashMap<>();

        Queue(String app) {
            this.app = app;
        }
    }

    int resultCalls() {
        return resultCalls.get();
    }

    /** A queue made directly, with its task ids, for tests that only look at it. */
    synchronized String queueWithTasks(String app, String... ips) {
        String id = TaskIds.next();
        Queue q = new Queue(app);
        queues.put(id, q);
        for (String ip : ips) {
            addTask(q, Map.of("ip", ip, "func", "f"));
        }
        return id;
    }

    @Override
    public synchronized Reply answer(String path, Map<String, String> p) {
        return switch (path) {
            case "/api/v2/queue/create" -> create(p);
            case "/api/v2/queue/addtask" -> add(p);
            case "/api/v2/queue/commit" -> commit(p);
            case "/api/v2/queue/stop" -> stop(p);
            case "/api/v2/queue/result" -> result(p);
            case "/api/v2/queue/qksqueue" -> quick(p);
            default -> null;
        };
    }

    private Reply create(Map<String, String> p) {
        if (p.getOrDefault("app", "").isBlank()) {
            return Reply.error(ErrorCode.PARAM_APP);
        }
        String id = TaskIds.next();
        queues.put(id, new Queue(p.get("app")));
        return Reply.ok(Json.MAPPER.createObjectNode().put("id", id));
    }

    private Reply add(Map<String, String> p) {
        Queue q;
        String id = p.getOrDefault("queue_id", "");
        if (!TaskIds.isValid(id)) {
            return Reply.error(ErrorCode.PARAM_QUEUE_ID);
        }
        ErrorCode bad = checkTask(p);
        if (bad != null) {
            return Reply.error(bad);
        }
        if ((q = queues.get(id)) == null) {
            return Reply.error(ErrorCode.QUEUE_NOT_FOUND);
        }
        if (!"pendding".equals(q.status)) {
            return Reply.error(ErrorCode.QUEUE_STATUS);
        }
        String depends = p.getOrDefault("depend_task_id", "");
        if (!depends.isEmpty() && !q.tasks.containsKey(depends)) {
            return Reply.error(ErrorCode.DEPEND_TASK_NOT_FOUND);
        }
        return Reply.ok(Json.MAPPER.createObjectNode().put("id", addTask(q, p)));
    }

    private static ErrorCode checkTask(Map<String, String> p) {
        if (p.getOrDefault("func", "").isBlank()) {
            return ErrorCode.PARAM_FUNC;
        }
        if (!p.getOrDefault("ip", "").matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
            return ErrorCode.PARAM_IP;
        }
        String param = p.getOrDefault("param", "");
        if (!param.isBlank() && !Json.isValid(param)) {
            return ErrorCode.PARAM_PARAM;
        }
        if (!p.getOrDefault("timeout", "90").matches("\\d+")) {
            return ErrorCode.PARAM_TIMEOUT;
        }
        return p.getOrDefault("mode", "NP").matches("NP|P") ? null : ErrorCode.PARAM_MODE;
    }

    private static String addTask(Queue q, Map<String, String> p) {
        String taskId = TaskIds.next();
        Map<String, String> t = new LinkedHashMap<>();
        t.put("id", taskId);
        t.put("ip", p.get("ip"));
        t.put("status", "pendding");
        t.put("depend_task_id", p.getOrDefault("depend_task_id", ""));
        for (String f : new String[] {"flag", "error", "worker_flag", "worker_message", "worker_costtime"}) {
            t.put(f, "");
        }
        q.tasks.put(taskId, t);
        return taskId;
    }

    private Reply commit(Map<String, String> p) {
        Queue q = queues.get(p.getOrDefault("queue_id", ""));
        if (q == null) {
            return Reply.error(ErrorCode.QUEUE_NOT_FOUND);
        }
        if (!"pendding".equals(q.status) || q.tasks.isEmpty()) {
            return Reply.error(ErrorCode.QUEUE_STATUS);
        }
        q.status = "running";
        return Reply.ok(null);
    }

    private Reply stop(Map<String, String> p) {
        Queue q = queues.get(p.getOrDefault("queue_id", ""));
        if (q == null) {
            return Reply.error(ErrorCode.QUEUE_NOT_FOUND);
        }
        if ("finished".equals(q.status)) {
            return Reply.error(ErrorCode.QUEUE_STATUS);
        }
        q.status = "stopped";
        ObjectNode states = Json.MAPPER.createObjectNode();
        for (Map<String, String> t : q.tasks.values()) {
            if ("pendding".equals(t.get("status"))) {
                t.put("status", "stopped");
                t.put("flag", "false");
                t.put("error", "stopped: the queue was stopped before the task was sent");
            }
            states.put(t.get("id"), t.get("status"));
        }
        return Reply.ok(states);
    }

    private Reply result(Map<String, String> p) {
        resultCalls.incrementAndGet();
        Queue q = queues.get(p.getOrDefault("queue_id", ""));
        if (q == null) {
            return Reply.error(ErrorCode.QUEUE_NOT_FOUND);
        }
        if ("running".equals(q.status)) {
            step(q);
        }
        ObjectNode result = Json.MAPPER.createObjectNode();
        for (Map<String, String> t : q.tasks.values()) {
            ObjectNode r = result.putObject(t.get("id"));
            t.forEach((k, v) -> {
                if (!k.equals("ip") || recordsHaveIp) {
                    r.put(k, v);
                }
            });
            if ("10.0.0.5".equals(t.get("ip")) && "finish".equals(t.get("status"))) {
                r.put("worker_flag", -1).put("worker_costtime", 5);
            }
        }
        return Reply.ok(result);
    }

    private static void step(Queue q) {
        for (Map<String, String> t : q.tasks.values()) {
            if ("running".equals(t.get("status")) && !"10.0.0.9".equals(t.get("ip"))) {
                t.put("status", "finish");
                t.put("flag", "true");
                switch (t.get("ip")) {
                    case "10.0.0.1" -> worker(t, "1", "hello from 10.0.0.1\nsecond line", "74");
                    case "10.0.0.2" -> worker(t, "0", "disk full", "12");
                    default -> worker(t, "-1", "worker crashed", "5");
                }
            }
        }
        for (Map<String, String> t : q.tasks.values()) {
            if (!"pendding".equals(t.get("status"))) {
                continue;
            }
            Map<String, String> parent = q.tasks.get(t.get("depend_task_id"));
            if (parent == null || ok(parent)) {
                t.put("status", "running");
            } else if (!"pendding".equals(parent.get("status")) && !"running".equals(parent.get("status"))) {
                // as docs/api.md: the reference's stopped, marked skipped, the parent named
                t.put("status", "stopped");
                t.put("skipped", "true");
                t.put("flag", "false");
                t.put("error", ErrorCode.STOP_TASK_ERROR.text("skipped: depend task " + parent.get("id")
                        + ("true".equals(parent.get("skipped")) ? " was skipped" : " failed")));
            }
        }
        if (q.tasks.values().stream().noneMatch(t -> "pendding".equals(t.get("status")) || "running".equals(t.get("status")))) {
            q.status = "finished";
        }
    }

    private static boolean ok(Map<String, String> t) {
        return "finish".equals(t.get("status")) && "true".equals(t.get("flag")) && "1".equals(t.get("worker_flag"));
    }

    private static void worker(Map<String, String> t, String flag, String message, String cost) {
        t.put("worker_flag", flag);
        t.put("worker_message", message);
        t.put("worker_costtime", cost);
    }

    private Reply quick(Map<String, String> p) {
        if (p.getOrDefault("app", "").isBlank()) {
            return Reply.error(ErrorCode.PARAM_APP);
        }
        ErrorCode bad = checkTask(p);
        if (bad != null) {
            return Reply.error(bad);
        }
        String id = TaskIds.next();
        Queue q = new Queue(p.get("app"));
        queues.put(id, q);
        String taskId = addTask(q, p);
        q.status = "running";
        return Reply.ok(Json.MAPPER.createObjectNode().put("id", id).put("task_id", taskId));
    }
}
