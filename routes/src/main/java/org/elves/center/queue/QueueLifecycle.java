package org.elves.center.queue;

import org.apache.camel.Exchange;
import org.bson.Document;
import org.elves.center.common.JobParams;
import org.elves.center.common.TaskEvents;
import org.elves.center.common.Ownership;
import org.elves.center.contract.CancelJobs;
import org.elves.center.rpc.Replies;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static com.mongodb.client.model.Filters.eq;
import static org.elves.center.common.JobParams.text;
import static org.elves.center.queue.QueueStore.PENDDING;
import static org.elves.center.queue.QueueStore.RUNNING;
import static org.elves.center.queue.QueueStore.SKIPPED_MARK;
import static org.elves.center.queue.QueueStore.STOPPED;

/**
 * A queue's life as its callers drive it (reference §4.2.2, §6.3): create, add tasks, commit,
 * stop, read the results; and the gaps' rules for it: a parent must be in the same queue (G17),
 * a stopped queue stays stopped, a skipped task is answered {@code stopped} with
 * {@code "skipped":"true"} (G16). A commit hands the roots to their agents' slots.
 */
public class QueueLifecycle {
    private final QueueStore store;
    private final TaskEvents events;
    private final ElvesConfig config;
    private final LongSupplier clock;
    private final AgentSlots slots;

    public QueueLifecycle(QueueStore store, ElvesConfig config, LongSupplier clock, AgentSlots slots) {
        this(store, config, clock, slots, TaskEvents.none());
    }

    public QueueLifecycle(QueueStore store, ElvesConfig config, LongSupplier clock, AgentSlots slots, TaskEvents events) {
        this.events = events;
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.slots = slots;
    }

    // ---- rpc handlers (Camel binds the body and the exchange) ----

    public Map<String, Object> createQueue(Map<String, Object> body) {
        return create(body);
    }

    public Map<String, Object> addTask(Map<String, Object> body) {
        return add(body);
    }

    public Map<String, Object> commitQueue(Map<String, Object> body, Exchange exchange) {
        return QueueOutcome.handOver(commit(body), exchange);
    }

    public Map<String, Object> stopQueue(Map<String, Object> body, Exchange exchange) {
        QueueOutcome stopped = stopping(body);
        exchange.setProperty(QueueOutcome.CANCELS, stopped.jobs());
        return stopped.reply();
    }

    public Map<String, Object> queueResult(Map<String, Object> body) {
        return result(body);
    }

    public Map<String, Object> quickQueue(Map<String, Object> body, Exchange exchange) {
        return QueueOutcome.handOver(quick(body), exchange);
    }

    // ---- the rules ----

    Map<String, Object> create(Map<String, Object> body) {
        String app = JobParams.required(body, "app", ErrorCode.PARAM_APP);
        String id = TaskIds.next();
        store.insertQueue(new Document("_id", id).append("app", app).append("auth_id", text(body.get("auth_id")))
                .append("status", PENDDING).append("create_time", clock.getAsLong()));
        Map<String, Object> reply = Replies.ok(null);
        reply.put("id", id);
        return reply;
    }

    Map<String, Object> add(Map<String, Object> body) {
        String queueId = queueId(body);
        Document queue = existing(queueId, body);
        requireStatus(queue, PENDDING, "tasks can be added only before the queue is committed");
        Document task = new Document("_id", TaskIds.next()).append("queue_id", queueId)
                .append("ip", JobParams.required(body, "ip", ErrorCode.PARAM_IP))
                .append("mode", JobParams.mode(body.get("mode")))
                .append("app", queue.getString("app"))
                .append("func", JobParams.required(body, "func", ErrorCode.PARAM_FUNC))
                .append("param", text(body.get("param")))
                .append("timeout", JobParams.timeoutSeconds(body.get("timeout"), config.requireInt("elves.timeout")))
                .append("proxy", text(body.get("proxy")));
        String parent = text(body.get("depend_task_id"));
        // same queue only (G17): a parent elsewhere would never release this task
        if (!parent.isEmpty() && store.taskOf(queueId, parent) == null) {
            throw new ElvesException(ErrorCode.DEPEND_TASK_NOT_FOUND, "no task " + parent + " in queue " + queueId);
        }
        String id = task.getString("_id");
        if (!parent.isEmpty()) {
            // noted before the child exists: a crash in between leaves only an id release skips
            store.addChild(parent, id);
        }
        store.insertTask(task.append("depend_task_id", parent).append("create_time", clock.getAsLong())
                .append("status", PENDDING).append("ready", false).append("children", new ArrayList<String>())
                .append("flag", "").append("error", "").append("worker_flag", "")
                .append("worker_message", "").append("worker_costtime", ""));
        // a commit between the check above and the insert would never send this task: undo it
        if (!PENDDING.equals(store.queue(queueId).getString("status"))) {
            store.deleteTask(id);
            if (!parent.isEmpty()) {
                store.removeChild(parent, id);
            }
            throw new ElvesException(ErrorCode.QUEUE_STATUS, "queue " + queueId + " was committed meanwhile");
        }
        events.phase(id, "accepted", Map.of("type", "queue", "queue_id", queueId, "agent_ip", task.getString("ip"),
                "mode", task.getString("mode"), "instruct", task.getString("app"), "func", task.getString("func"),
                "param", task.getString("param"), "timeout", task.get("timeout"), "auth_id", text(queue.get("auth_id"))));
        Map<String, Object> reply = Replies.ok(null);
        reply.put("id", id);
        return reply;
    }

    QueueOutcome commit(Map<String, Object> body) {
        String queueId = queueId(body);
        Document queue = existing(queueId, body);
        requireStatus(queue, PENDDING, "the queue was committed or stopped already");
        if (store.countTasks(queueId) == 0) {
            throw new ElvesException(ErrorCode.QUEUE_STATUS, "queue " + queueId + " has no task");
        }
        long now = clock.getAsLong();
        if (!store.moveQueue(queueId, List.of(PENDDING), RUNNING, "commit_time", now)) {
            throw new ElvesException(ErrorCode.QUEUE_STATUS, "queue " + queueId + " was committed or stopped meanwhile");
        }
        store.setOpen(queueId, store.countTasks(queueId));
        store.makeReady(queueId, eq("depend_task_id", ""), now);
        return new QueueOutcome(Replies.ok(null), slots.send(enqueueReady(queueId)));
    }

    Map<String, Object> stop(Map<String, Object> body) {
        return stopping(body).reply();
    }

    /**
     * Stops the queue: tasks not sent end stopped; the answer maps each task to its state, and the
     * outcome's jobs are one cancelJobs body {ip, ids} per agent for the tasks running now (their
     * agents are asked to kill them; their results, "app exec cancelled", are recorded as usual).
     */
    QueueOutcome stopping(Map<String, Object> body) {
        String queueId = queueId(body);
        Document queue = existing(queueId, body);
        // a stopped queue answers its map again; a finished one has nothing left to stop
        if (!store.moveQueue(queueId, List.of(PENDDING, RUNNING), STOPPED, "stop_time", clock.getAsLong())
                && !STOPPED.equals(store.queue(queueId).getString("status"))) {
            throw new ElvesException(ErrorCode.QUEUE_STATUS, "queue " + queueId + " is " + queue.getString("status"));
        }
        store.stopPendding(queueId, "stopped: the queue was stopped before the task was sent", clock.getAsLong());
        Map<String, Object> states = new LinkedHashMap<>();
        Map<String, List<String>> runningByIp = new LinkedHashMap<>();
        Map<String, List<String>> stoppedByIp = new LinkedHashMap<>();
        for (Document task : store.tasksOf(queueId)) {
            String status = QueueStore.answeredStatus(task);
            states.put(task.getString("_id"), status);
            if (STOPPED.equals(status)) {
                events.phase(task.getString("_id"), "cancelled", Map.of("agent_sync_error", text(task.get("error")), "result_flag", 0));
                stoppedByIp.computeIfAbsent(task.getString("ip"), ip -> new ArrayList<>()).add(task.getString("_id"));
            }
            if (RUNNING.equals(task.getString("status"))) {
                runningByIp.computeIfAbsent(task.getString("ip"), ip -> new ArrayList<>()).add(task.getString("_id"));
            }
        }
        // their ids would otherwise wait in the agents' lists until a claim drops them
        stoppedByIp.forEach(store::dropReady);
        List<Map<String, Object>> cancels = new ArrayList<>();
        runningByIp.forEach((ip, ids) -> cancels.add(new CancelJobs(ip, ids).toMap()));
        return new QueueOutcome(Replies.ok(states), cancels);
    }

    Map<String, Object> result(Map<String, Object> body) {
        String queueId = queueId(body);
        existing(queueId, body);
        Map<String, Object> records = new LinkedHashMap<>();
        for (Document task : store.tasksOf(queueId)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", task.getString("_id"));
            r.put("status", QueueStore.answeredStatus(task));
            // not in the reference's record, but a result table without the agent is hard to read
            r.put("ip", text(task.get("ip")));
            for (String field : List.of("depend_task_id", "flag", "error", "worker_flag", "worker_message", "worker_costtime")) {
                r.put(field, text(task.get(field)));
            }
            if ("P".equals(task.getString("mode"))) {
                for (String field : QueueTaskResults.PROCESSOR_FIELDS) {
                    r.put(field, text(task.get(field)));
                }
            }
            if (QueueStore.isSkipped(task)) {
                // ours, only on these: tells a stopped task that never ran for its parent from one the stop ended
                r.put(SKIPPED_MARK, "true");
            }
            records.put(task.getString("_id"), r);
        }
        return Replies.ok(records);
    }

    /** /queue/qksqueue in one step: create, add the one task, commit; answers {id, task_id}. */
    QueueOutcome quick(Map<String, Object> body) {
        Map<String, Object> created = create(body);
        Map<String, Object> task = new LinkedHashMap<>(body);
        task.put("id", created.get("id"));
        task.remove("depend_task_id");
        String taskId = String.valueOf(add(task).get("id"));
        QueueOutcome committed = commit(Map.of("id", created.get("id")));
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("id", created.get("id"));
        ids.put("task_id", taskId);
        return new QueueOutcome(Replies.ok(ids), committed.jobs());
    }

    /** Puts a queue's ready pendding tasks in their agents' lists; the agents. */
    private Set<String> enqueueReady(String queueId) {
        Map<String, List<String>> byIp = new LinkedHashMap<>();
        for (Document task : store.tasksOf(queueId)) {
            if (PENDDING.equals(task.getString("status")) && Boolean.TRUE.equals(task.getBoolean("ready"))) {
                byIp.computeIfAbsent(task.getString("ip"), k -> new ArrayList<>()).add(task.getString("_id"));
            }
        }
        byIp.forEach(store::enqueue);
        return byIp.keySet();
    }

    private static String queueId(Map<String, Object> body) {
        String id = text(body.get("id"));
        if (!TaskIds.isValid(id)) {
            throw new ElvesException(ErrorCode.PARAM_QUEUE_ID, id.isEmpty() ? "queue id is required" : "not a queue id: " + id);
        }
        return id;
    }

    /** The queue, when it exists and the caller (if any) may act on it. */
    private Document existing(String queueId, Map<String, Object> body) {
        Document queue = store.queue(queueId);
        if (queue == null) {
            throw new ElvesException(ErrorCode.QUEUE_NOT_FOUND, queueId);
        }
        Ownership.check(queue.getString("auth_id"), body, "queue " + queueId);
        return queue;
    }

    private static void requireStatus(Document queue, String status, String why) {
        if (!status.equals(queue.getString("status"))) {
            throw new ElvesException(ErrorCode.QUEUE_STATUS,
                    "queue " + queue.getString("_id") + " is " + queue.getString("status") + ": " + why);
        }
    }
}
