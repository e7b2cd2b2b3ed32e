package org.elves.center.queue;

import org.apache.camel.Exchange;
import org.bson.Document;
import org.elves.center.common.JobParams;
import org.elves.center.common.Ownership;
import org.elves.center.common.Replies;
import org.elves.center.scheduler.TaskResults;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;
import org.elves.protocol.TaskIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static com.mongodb.client.model.Filters.eq;
import static org.elves.center.common.JobParams.text;
import static org.elves.center.queue.QueueStore.FINISH;
import static org.elves.center.queue.QueueStore.FINISHED;
import static org.elves.center.queue.QueueStore.PENDDING;
import static org.elves.center.queue.QueueStore.RUNNING;
import static org.elves.center.queue.QueueStore.SKIPPED_MARK;
import static org.elves.center.queue.QueueStore.STOPPED;

/**
 * The Queue component's handlers (reference §4.2.2, §6.3) and its rules for the gaps G15-G18:
 * a task is released only when its parent finished with flag "true" and worker_flag "1"; the
 * descendants of any other outcome end {@code stopped}, marked skipped (G16: the reference's
 * terminal state, so original clients that poll until every task is finish or stopped end; the
 * error names the parent, and /queue/result adds {@code "skipped":"true"}); a parent must be in the same queue;
 * a stopped queue stays stopped. Tasks go to the Scheduler as asyncJob casts, at most
 * {@code elves.queue.agent-concurrency} running per agent; the jobs a handler releases are left
 * in the exchange property {@link #JOBS} for route queue.send-jobs.
 * <p>
 * A running task without a result ends at its deadline, its timeout plus
 * {@code elves.queue.result-margin-seconds} counted from when it was sent or, if later, from when
 * the broker link last came up (results cannot flow while the broker is down): {@code [410.3]}
 * when its agent could not be reached by the last re-sends (it died or went away while the task
 * ran), else {@code [410.2]} (the agent took the task and its re-sends, and never reported).
 */
public class QueueService {
    /** Exchange property: the asyncJob bodies to cast to the Scheduler after a handler. */
    public static final String JOBS = "ElvesQueueJobs";
    /** Exchange property: the cancelJobs bodies ({ip, ids}) to cast to the Scheduler after a stop. */
    public static final String CANCELS = "ElvesQueueCancels";
    private static final Logger LOG = LoggerFactory.getLogger(QueueService.class);
    /** Mode P: the processor's outcome, in /queue/result of P tasks ("" until it is known). */
    private static final List<String> PROCESSOR_FIELDS = List.of("processor_flag", "processor_error", "processor_costtime");

    private final QueueStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    /** Epoch ms since which the broker connection is up (0: down, or not known). */
    private final LongSupplier brokerUpSinceMs;
    /**
     * The latest up-since seen above 0: once the link was seen up, a 0 means it is down now and
     * no deadline passes. Never seen up (no link wired, or down since this process started): 0 is
     * "unknown" and deadlines count from the sending as before. Per process, as the link is: each
     * instance's sweep judges by its own connection, and only one conditional update ends a task.
     */
    private volatile long brokerSeenUp;
    /** Counting an agent's running tasks and claiming more is one step per agent in this JVM. */
    private final Map<String, Object> agentLocks = new ConcurrentHashMap<>();
    /** Whether this instance's first sweep ran {@link #recover}. */
    private volatile boolean recovered;
    /** When dependents of ended tasks were last looked for (elves.queue.dependents-repair-seconds). */
    private long lastDependentsRepair;

    /**
     * @param brokerUpSinceMs when the current broker connection came up (epoch ms; 0 = down, or
     *                        unknown until it was once above 0): a task's deadline counts from it
     *                        when it is later than the task's sending
     */
    public QueueService(QueueStore store, ElvesConfig config, LongSupplier clock, LongSupplier brokerUpSinceMs) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.brokerUpSinceMs = brokerUpSinceMs;
    }

    /** A handler's answer and the tasks it released for sending. */
    public record Outcome(Map<String, Object> reply, List<Map<String, Object>> jobs) {
        static Outcome of(Map<String, Object> reply) {
            return new Outcome(reply, List.of());
        }
    }

    // ---- rpc handlers (Camel binds the body and the exchange) ----

    public Map<String, Object> createQueue(Map<String, Object> body) {
        return create(body);
    }

    public Map<String, Object> addTask(Map<String, Object> body) {
        return add(body);
    }

    public Map<String, Object> commitQueue(Map<String, Object> body, Exchange exchange) {
        return handOver(commit(body), exchange);
    }

    public Map<String, Object> stopQueue(Map<String, Object> body, Exchange exchange) {
        Outcome stopped = stopping(body);
        exchange.setProperty(CANCELS, stopped.jobs());
        return stopped.reply();
    }

    public Map<String, Object> queueResult(Map<String, Object> body) {
        return result(body);
    }

    public Map<String, Object> quickQueue(Map<String, Object> body, Exchange exchange) {
        return handOver(quick(body), exchange);
    }

    /** A cast: nothing to answer. */
    public Map<String, Object> taskResult(Map<String, Object> body, Exchange exchange) {
        handOver(result(body, clock.getAsLong()), exchange);
        return null;
    }

    /** A cast from the Scheduler (mode P): the processor's outcome, recorded with the task once. */
    public Map<String, Object> processorResult(Map<String, Object> body) {
        String id = text(body.get("id"));
        Document processor = new Document();
        for (String field : PROCESSOR_FIELDS) {
            processor.append(field, text(body.get(field)));
        }
        if (!store.processorResult(id, processor)) {
            LOG.debug("processor result of task {} ignored: the task is unknown or has one already", id);
        }
        return null;
    }

    /** Timer: tasks whose result is overdue, and ready tasks nobody sent (e.g. after a restart). */
    public Map<String, Object> sweep(Exchange exchange) {
        handOver(sweep(clock.getAsLong()), exchange);
        return null;
    }

    private static Map<String, Object> handOver(Outcome outcome, Exchange exchange) {
        exchange.setProperty(JOBS, outcome.jobs());
        return outcome.reply();
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
                .append("timeout", JobParams.timeoutSeconds(body.get("timeout"), config.getInt("elves.timeout", 90)))
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
        Map<String, Object> reply = Replies.ok(null);
        reply.put("id", id);
        return reply;
    }

    Outcome commit(Map<String, Object> body) {
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
        return new Outcome(Replies.ok(null), send(enqueueReady(queueId)));
    }

    Map<String, Object> stop(Map<String, Object> body) {
        return stopping(body).reply();
    }

    /**
     * Stops the queue: tasks not sent end stopped; the answer maps each task to its state, and the
     * outcome's jobs are one cancelJobs body {ip, ids} per agent for the tasks running now (their
     * agents are asked to kill them; their results, "app exec cancelled", are recorded as usual).
     */
    Outcome stopping(Map<String, Object> body) {
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
                stoppedByIp.computeIfAbsent(task.getString("ip"), ip -> new ArrayList<>()).add(task.getString("_id"));
            }
            if (RUNNING.equals(task.getString("status"))) {
                runningByIp.computeIfAbsent(task.getString("ip"), ip -> new ArrayList<>()).add(task.getString("_id"));
            }
        }
        // their ids would otherwise wait in the agents' lists until a claim drops them
        stoppedByIp.forEach(store::dropReady);
        List<Map<String, Object>> cancels = new ArrayList<>();
        runningByIp.forEach((ip, ids) -> {
            Map<String, Object> cancel = new LinkedHashMap<>();
            cancel.put("ip", ip);
            cancel.put("ids", ids);
            cancels.add(cancel);
        });
        return new Outcome(Replies.ok(states), cancels);
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
                for (String field : PROCESSOR_FIELDS) {
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
    Outcome quick(Map<String, Object> body) {
        Map<String, Object> created = create(body);
        Map<String, Object> task = new LinkedHashMap<>(body);
        task.put("id", created.get("id"));
        task.remove("depend_task_id");
        String taskId = String.valueOf(add(task).get("id"));
        Outcome committed = commit(Map.of("id", created.get("id")));
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("id", created.get("id"));
        ids.put("task_id", taskId);
        return new Outcome(Replies.ok(ids), committed.jobs());
    }

    /** A task's result {flag, error, result:{id, worker_*}}; recorded once, whatever repeats. */
    @SuppressWarnings("unchecked")
    Outcome result(Map<String, Object> body, long now) {
        String id = TaskResults.idOf(body);
        if (TaskResults.isResendNote(body)) {
            resendNoted(id, "true".equals(text(body.get(TaskResults.RESEND_FAILED))), text(body.get("error")), now);
            return Outcome.of(null);
        }
        Map<String, Object> worker = body.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String flag = text(body.get("flag"));
        String workerFlag = text(worker.get("worker_flag"));
        Document result = new Document("flag", flag).append("error", text(body.get("error")))
                .append("worker_flag", workerFlag).append("worker_message", text(worker.get("worker_message")))
                .append("worker_costtime", text(worker.get("worker_costtime"))).append("exec_finish_time", now);
        if (!store.finish(id, result)) {
            Document known = store.task(id);
            if (known == null || !FINISH.equals(known.getString("status"))) {
                LOG.debug("result of task {} ignored: the task is unknown or ended otherwise", id);
                return Outcome.of(null);
            }
            // recorded already: a repeat, or the redelivery of a result whose handler died after
            // recording it; the follow-up below is idempotent and completes what that one left
            LOG.debug("result of task {} recorded already; its dependents are checked again", id);
            return followUp(known, text(known.get("flag")), text(known.get("worker_flag")), now);
        }
        Document task = store.task(id);
        closed(task.getString("queue_id"), 1, now);
        return followUp(task, flag, workerFlag, now);
    }

    /**
     * A re-send of a running task could not reach its agent, or reached it again: no result, the
     * task stays running (the agent may be back soon and report, e.g. a restarted agent adopting
     * its orphaned worker) and is re-sent as before; what it changes is the error at the deadline.
     */
    private void resendNoted(String id, boolean failed, String error, long now) {
        if (failed && store.markUnreachable(id, now)) {
            LOG.info("queue task {}: its agent is unreachable ({}); the task stays running until its deadline", id, error);
        } else if (!failed && store.markReachable(id)) {
            LOG.info("queue task {}: its agent is reachable again", id);
        }
    }

    /** A task has its result: its agent's slot is free, its dependents released or skipped. */
    private Outcome followUp(Document task, String flag, String workerFlag, long now) {
        String id = task.getString("_id");
        String queueId = task.getString("queue_id");
        Set<String> ips = new LinkedHashSet<>();
        // the agent has a free slot now
        ips.add(task.getString("ip"));
        store.releaseSlot(task.getString("ip"), id);
        if ("true".equals(flag) && "1".equals(workerFlag)) {
            for (String childId : childIds(task)) {
                Document child = store.makeReady(childId, now);
                if (child != null) {
                    store.enqueue(child.getString("ip"), List.of(childId));
                    ips.add(child.getString("ip"));
                }
            }
        } else {
            skipDescendants(task, skipReason(id, "failed"), now);
        }
        return new Outcome(null, send(ips));
    }

    /** The ids of a task's children: its list, or (a task stored before lists) a query. */
    private List<String> childIds(Document task) {
        List<String> children = task.getList("children", String.class);
        if (children != null) {
            return children;
        }
        List<String> ids = new ArrayList<>();
        store.penddingChildren(task.getString("queue_id"), task.getString("_id")).forEach(c -> ids.add(c.getString("_id")));
        return ids;
    }

    /**
     * {@code count} tasks of the queue ended; the queue finishes when none is open. The counter
     * only says when to look: the tasks are counted before the queue is marked finished, and a
     * counter left too high (a handler killed between the two updates) is settled by the sweep.
     */
    private void closed(String queueId, int count, long now) {
        long open = 0;
        for (int i = 0; i < count; i++) {
            open = store.closeOne(queueId);
        }
        if (count > 0 && open <= 0 && store.countOpenTasks(queueId) == 0) {
            store.moveQueue(queueId, List.of(RUNNING), FINISHED, "finish_time", now);
        }
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

    Outcome sweep(long now) {
        long marginMs = config.getLong("elves.queue.result-margin-seconds", 30) * 1000L;
        // results could not flow before the broker link came up: no deadline counts from earlier
        long brokerUp = brokerUpSince(now);
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Document task : store.running()) {
            int timeout = task.getInteger("timeout", 0);
            // timeout 0 = the worker has no limit; a lost result is still noticed, after a day
            long limitMs = (timeout == 0 ? 86_400L : timeout) * 1000L + marginMs;
            // a running task always has one; were it missing, the task ends now rather than the sweep failing
            long sent = task.get("sent_time") instanceof Number n ? n.longValue() : 0L;
            if (now - Math.max(sent, brokerUp) > limitMs) {
                jobs.addAll(result(overdue(task, sent, limitMs), now).jobs());
            }
        }
        if (!recovered) {
            recovered = true;
            lastDependentsRepair = now;
            jobs.addAll(recover(now));
        } else if (now - lastDependentsRepair >= config.getLong("elves.queue.dependents-repair-seconds", 30) * 1000L) {
            // a live handler that failed between recording a result and releasing its dependents
            // (its message is acknowledged all the same) would leave them waiting until a restart
            lastDependentsRepair = now;
            releaseBlocked(now);
        }
        jobs.addAll(resend(now, false));
        jobs.addAll(repair(now));
        return new Outcome(null, jobs);
    }

    /** From when deadlines count at the earliest: the link's up-since; now while it is down. */
    private long brokerUpSince(long now) {
        long up = brokerUpSinceMs.getAsLong();
        if (up > 0) {
            brokerSeenUp = up;
            return up;
        }
        return brokerSeenUp > 0 ? now : 0;
    }

    /** The failure result of a task past its deadline: [410.3] when its agent was last unreachable, else [410.2]. */
    private static Map<String, Object> overdue(Document task, long sent, long limitMs) {
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("id", task.getString("_id"));
        worker.put("worker_flag", "-1");
        worker.put("worker_message", "");
        worker.put("worker_costtime", "");
        String ip = task.getString("ip");
        String error;
        if (task.get("unreachable_since") instanceof Number since) {
            error = ErrorCode.AGENT_LOST.text("sent to " + ip + " at " + ElvesTime.format(sent)
                    + "; unreachable since " + ElvesTime.format(since.longValue()) + "; no result");
        } else {
            error = ErrorCode.AGENT_ANSWER_TIMEOUT.text("no result from " + ip + " within " + limitMs / 1000
                    + " s (timeout " + task.getInteger("timeout", 0) + " s + elves.queue.result-margin-seconds)");
        }
        Map<String, Object> timedOut = Replies.failure(error);
        timedOut.put("result", worker);
        return timedOut;
    }

    /**
     * What a handler killed between two updates may have left, from one scan of the open tasks:
     * a slot held by a task that ended (freed) or by a claimed task never marked sent (sent now,
     * by the one conditional update that wins), a ready task in no agent list (listed), a running
     * queue without open tasks (finished); then every agent with ready tasks gets its free slots.
     */
    private List<Map<String, Object>> repair(long now) {
        List<String> runningQueues = store.runningQueues();
        List<Document> open = store.openTasks();
        List<Map<String, Object>> jobs = new ArrayList<>();
        Map<String, Document> agents = new HashMap<>();
        for (Document agent : store.agents()) {
            String ip = agent.getString("_id");
            agents.put(ip, agent);
            jobs.addAll(repairSlots(ip, list(agent, "running")));
        }
        Set<String> openQueues = new HashSet<>();
        Map<String, List<String>> unlisted = new LinkedHashMap<>();
        for (Document task : open) {
            openQueues.add(task.getString("queue_id"));
            if (PENDDING.equals(task.getString("status")) && Boolean.TRUE.equals(task.getBoolean("ready"))) {
                String ip = task.getString("ip");
                String id = task.getString("_id");
                Document agent = agents.get(ip);
                if (agent == null || !(list(agent, "ready").contains(id) || list(agent, "running").contains(id))) {
                    unlisted.computeIfAbsent(ip, k -> new ArrayList<>()).add(id);
                }
            }
        }
        unlisted.forEach(store::enqueue);
        for (String queueId : runningQueues) {
            if (!openQueues.contains(queueId) && store.countOpenTasks(queueId) == 0) {
                store.moveQueue(queueId, List.of(RUNNING), FINISHED, "finish_time", now);
            }
        }
        Set<String> ips = new LinkedHashSet<>(unlisted.keySet());
        for (Document agent : store.agents()) {
            if (!list(agent, "ready").isEmpty()) {
                ips.add(agent.getString("_id"));
            }
        }
        jobs.addAll(send(ips));
        return jobs;
    }

    /** An agent's slots: those of ended tasks freed, claimed tasks never marked sent sent now. */
    private List<Map<String, Object>> repairSlots(String ip, List<String> running) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        synchronized (agentLocks.computeIfAbsent(ip, k -> new Object())) {
            for (String id : running) {
                Document task = store.task(id);
                String status = task == null ? "" : task.getString("status");
                if (!PENDDING.equals(status) && !RUNNING.equals(status)) {
                    store.releaseSlot(ip, id);
                } else if (PENDDING.equals(status)) {
                    Document sent = store.markSent(id, clock.getAsLong());
                    if (sent != null) {
                        LOG.info("task {} claimed but never sent (a handler died): sent now", id);
                        jobs.add(asyncJob(sent));
                    }
                }
            }
        }
        return jobs;
    }

    private static List<String> list(Document doc, String field) {
        List<String> ids = doc.getList(field, String.class);
        return ids == null ? List.of() : ids;
    }

    /**
     * Sent tasks without a result are sent again, same id, marked {@code resend}: a task may be
     * marked running while its asyncJob never left (Queue killed between the two), the Scheduler
     * may have died holding it, or the agent may have given up reporting to a Scheduler that was
     * down. Agents run a task id once (they remember ids for an hour) and answer a repeated id
     * with the first run's result, so a re-send never runs a task twice; the Scheduler forgets the
     * id among the results it forwarded, so that answer reaches Queue again. {@code all}: every
     * running task (the first sweep after a start), else those silent for
     * {@code elves.queue.resend-seconds} since they were last sent.
     */
    private List<Map<String, Object>> resend(long now, boolean all) {
        long graceMs = config.getLong("elves.queue.resend-seconds", 10) * 1000L;
        List<Map<String, Object>> jobs = new ArrayList<>();
        if (graceMs <= 0 && !all) {
            return jobs;
        }
        for (Document task : store.running()) {
            Object last = task.get("resent_time") != null ? task.get("resent_time") : task.get("sent_time");
            long lastSent = last instanceof Number n ? n.longValue() : 0L;
            if ((all || now - lastSent >= graceMs) && store.markResent(task.getString("_id"), now)) {
                Map<String, Object> job = asyncJob(task);
                job.put("resend", true);
                if (task.get("unreachable_since") != null) {
                    // the Scheduler then says when the agent takes it again (resend_failed "false")
                    job.put("unreachable", true);
                }
                jobs.add(job);
            }
        }
        if (!jobs.isEmpty()) {
            LOG.info("{} running task(s) without a result sent again (agents run each task id once)", jobs.size());
        }
        return jobs;
    }

    /**
     * The first sweep after a start repairs what a Queue killed mid-handler may have left: roots
     * of a committed queue not marked ready (killed inside commit), dependents of ended tasks
     * neither released nor skipped, and running tasks whose asyncJob may never have left. Every
     * step is a conditional update, so running it beside live handlers (or other instances) is safe.
     */
    private List<Map<String, Object>> recover(long now) {
        releaseBlocked(now);
        return resend(now, true);
    }

    /** Dependents of ended tasks still waiting: released (parent succeeded) or skipped. */
    private void releaseBlocked(long now) {
        for (String queueId : store.runningQueues()) {
            store.makeReady(queueId, eq("depend_task_id", ""), now);
            for (Document child : store.blocked(queueId)) {
                Document parent = store.task(child.getString("depend_task_id"));
                if (parent == null) {
                    continue;
                }
                String status = parent.getString("status");
                String parentId = parent.getString("_id");
                if (FINISH.equals(status) && "true".equals(text(parent.get("flag")))
                        && "1".equals(text(parent.get("worker_flag")))) {
                    store.makeReady(queueId, eq("_id", child.getString("_id")), now);
                } else if (FINISH.equals(status)) {
                    skipDescendants(parent, skipReason(parentId, "failed"), now);
                } else if (STOPPED.equals(QueueStore.answeredStatus(parent))) {
                    skipDescendants(parent, skipReason(parentId, QueueStore.isSkipped(parent) ? "was skipped" : "was stopped"), now);
                }
            }
            if (store.countOpenTasks(queueId) == 0) {
                store.moveQueue(queueId, List.of(RUNNING), FINISHED, "finish_time", now);
            }
        }
    }

    /** Every descendant still pendding ends stopped, marked skipped; it never runs (G16). */
    private void skipDescendants(Document parent, String reason, long now) {
        for (String childId : childIds(parent)) {
            if (store.skipPendding(childId, reason, now)) {
                Document child = store.task(childId);
                closed(child.getString("queue_id"), 1, now);
                skipDescendants(child, skipReason(childId, "was skipped"), now);
            }
        }
    }

    /**
     * The error of a task skipped for its parent: [412.3] Stop Task Error, the reference's code
     * for a task ended stopped (which the original never produced, G7); not 412.4, the parent exists.
     */
    private static String skipReason(String parentId, String what) {
        return ErrorCode.STOP_TASK_ERROR.text("skipped: depend task " + parentId + " " + what);
    }

    /** Claims ready tasks of these agents up to the concurrency bound; their asyncJob bodies. */
    private List<Map<String, Object>> send(Collection<String> ips) {
        int bound = Math.max(1, config.getInt("elves.queue.agent-concurrency", 4));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (String ip : ips) {
            synchronized (agentLocks.computeIfAbsent(ip, k -> new Object())) {
                // bounded: a claim lost to another instance re-reads the list
                for (int attempt = 0; attempt < 4 * bound + 16; attempt++) {
                    Document agent = store.agent(ip);
                    if (agent == null || list(agent, "ready").isEmpty() || list(agent, "running").size() >= bound) {
                        break;
                    }
                    String id = list(agent, "ready").get(0);
                    if (!store.takeSlot(ip, id, bound)) {
                        continue;
                    }
                    Document task = store.markSent(id, clock.getAsLong());
                    if (task != null) {
                        jobs.add(asyncJob(task));
                        continue;
                    }
                    // no longer pendding: ended (stopped, skipped) or sent by another claim
                    Document current = store.task(id);
                    if (current == null || !RUNNING.equals(current.getString("status"))) {
                        store.releaseSlot(ip, id);
                    }
                }
            }
        }
        return jobs;
    }

    private static Map<String, Object> asyncJob(Document task) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", task.getString("_id"));
        job.put("ip", task.getString("ip"));
        job.put("type", "queue");
        job.put("mode", task.getString("mode"));
        job.put("app", task.getString("app"));
        job.put("func", task.getString("func"));
        job.put("param", task.getString("param"));
        job.put("timeout", task.getInteger("timeout", 90));
        job.put("proxy", task.getString("proxy"));
        return job;
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
