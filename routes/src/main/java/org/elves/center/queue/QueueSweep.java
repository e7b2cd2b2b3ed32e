package org.elves.center.queue;

import org.apache.camel.Exchange;
import org.bson.Document;
import org.elves.center.contract.TaskResult;
import org.elves.config.ElvesConfig;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static org.elves.center.queue.AgentSlots.asyncJob;
import static org.elves.center.queue.AgentSlots.list;
import static org.elves.center.queue.QueueStore.FINISHED;
import static org.elves.center.queue.QueueStore.PENDDING;
import static org.elves.center.queue.QueueStore.RUNNING;

/**
 * The Queue's timer: overdue results, silent tasks sent again, and what a handler killed between
 * two updates left. A running task without a result ends at its deadline, its timeout plus
 * {@code elves.queue.result-margin-seconds} counted from when it was sent or, if later, from when
 * the broker link last came up (results cannot flow while the broker is down): {@code [410.3]}
 * when its agent could not be reached by the last re-sends (it died or went away while the task
 * ran), else {@code [410.2]} (the agent took the task and its re-sends, and never reported).
 */
public class QueueSweep {
    private static final Logger LOG = LoggerFactory.getLogger(QueueSweep.class);

    private final QueueStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    /** Epoch ms since which the broker connection is up (0: down, or not known). */
    private final LongSupplier brokerUpSinceMs;
    private final AgentSlots slots;
    private final QueueTaskResults results;
    private final QueueDependents dependents;
    /**
     * The latest up-since seen above 0: once the link was seen up, a 0 means it is down now and
     * no deadline passes. Never seen up (no link wired, or down since this process started): 0 is
     * "unknown" and deadlines count from the sending as before. Per process, as the link is: each
     * instance's sweep judges by its own connection, and only one conditional update ends a task.
     */
    private volatile long brokerSeenUp;
    /** Whether this instance's first sweep ran {@link #recover}. */
    private volatile boolean recovered;
    /** When dependents of ended tasks were last looked for (elves.queue.dependents-repair-seconds). */
    private long lastDependentsRepair;

    /**
     * @param brokerUpSinceMs when the current broker connection came up (epoch ms; 0 = down, or
     *                        unknown until it was once above 0): a task's deadline counts from it
     *                        when it is later than the task's sending
     */
    public QueueSweep(QueueStore store, ElvesConfig config, LongSupplier clock, LongSupplier brokerUpSinceMs,
                      AgentSlots slots, QueueTaskResults results) {
        this.store = store;
        this.config = config;
        this.clock = clock;
        this.brokerUpSinceMs = brokerUpSinceMs;
        this.slots = slots;
        this.results = results;
        this.dependents = new QueueDependents(store);
    }

    /** Timer: tasks whose result is overdue, and ready tasks nobody sent (e.g. after a restart). */
    public Map<String, Object> sweep(Exchange exchange) {
        QueueOutcome.handOver(sweep(clock.getAsLong()), exchange);
        return null;
    }

    QueueOutcome sweep(long now) {
        long marginMs = config.requireLong("elves.queue.result-margin-seconds") * 1000L;
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
                jobs.addAll(results.record(overdue(task, sent, limitMs), now).jobs());
            }
        }
        if (!recovered) {
            recovered = true;
            lastDependentsRepair = now;
            jobs.addAll(recover(now));
        } else if (now - lastDependentsRepair >= config.requireLong("elves.queue.dependents-repair-seconds") * 1000L) {
            // a live handler that failed between recording a result and releasing its dependents
            // (its message is acknowledged all the same) would leave them waiting until a restart
            lastDependentsRepair = now;
            dependents.releaseBlocked(now);
        }
        jobs.addAll(resend(now, false));
        jobs.addAll(repair(now));
        return new QueueOutcome(null, jobs);
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
    private static TaskResult overdue(Document task, long sent, long limitMs) {
        String ip = task.getString("ip");
        String error;
        if (task.get("unreachable_since") instanceof Number since) {
            error = ErrorCode.AGENT_LOST.text("sent to " + ip + " at " + ElvesTime.format(sent)
                    + "; unreachable since " + ElvesTime.format(since.longValue()) + "; no result");
        } else {
            error = ErrorCode.AGENT_ANSWER_TIMEOUT.text("no result from " + ip + " within " + limitMs / 1000
                    + " s (timeout " + task.getInteger("timeout", 0) + " s + elves.queue.result-margin-seconds)");
        }
        return new TaskResult(false, error, task.getString("_id"), "-1", "", "", null);
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
            jobs.addAll(slots.repair(ip, list(agent, "running")));
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
        jobs.addAll(slots.send(ips));
        return jobs;
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
        long graceMs = config.requireLong("elves.queue.resend-seconds") * 1000L;
        List<Map<String, Object>> jobs = new ArrayList<>();
        if (graceMs <= 0 && !all) {
            return jobs;
        }
        for (Document task : store.running()) {
            Object last = task.get("resent_time") != null ? task.get("resent_time") : task.get("sent_time");
            long lastSent = last instanceof Number n ? n.longValue() : 0L;
            if ((all || now - lastSent >= graceMs) && store.markResent(task.getString("_id"), now)) {
                // unreachable: the Scheduler then says when the agent takes it again (resend_failed "false")
                jobs.add(asyncJob(task).resent(task.get("unreachable_since") != null).toMap());
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
        dependents.releaseBlocked(now);
        return resend(now, true);
    }
}
