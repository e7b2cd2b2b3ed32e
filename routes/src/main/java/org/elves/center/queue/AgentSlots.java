package org.elves.center.queue;

import org.bson.Document;
import org.elves.center.contract.AsyncJob;
import org.elves.config.ElvesConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static org.elves.center.queue.QueueStore.PENDDING;
import static org.elves.center.queue.QueueStore.RUNNING;

/**
 * The per-agent slots: at most {@code elves.queue.agent-concurrency} queue tasks running on an
 * agent. A ready task is claimed into its agent's {@code running} list before it is marked sent,
 * so that bound holds across instances; what a handler killed between the two left is repaired here.
 */
public class AgentSlots {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSlots.class);

    private final QueueStore store;
    private final ElvesConfig config;
    private final LongSupplier clock;
    /** Counting an agent's running tasks and claiming more is one step per agent in this JVM. */
    private final Map<String, Object> agentLocks = new ConcurrentHashMap<>();

    public AgentSlots(QueueStore store, ElvesConfig config, LongSupplier clock) {
        this.store = store;
        this.config = config;
        this.clock = clock;
    }

    /** Claims ready tasks of these agents up to the concurrency bound; their asyncJob bodies. */
    List<Map<String, Object>> send(Collection<String> ips) {
        int bound = Math.max(1, config.requireInt("elves.queue.agent-concurrency"));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (String ip : ips) {
            synchronized (lockOf(ip)) {
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
                        jobs.add(asyncJob(task).toMap());
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

    /** An agent's slots: those of ended tasks freed, claimed tasks never marked sent sent now. */
    List<Map<String, Object>> repair(String ip, List<String> running) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        synchronized (lockOf(ip)) {
            for (String id : running) {
                Document task = store.task(id);
                String status = task == null ? "" : task.getString("status");
                if (!PENDDING.equals(status) && !RUNNING.equals(status)) {
                    store.releaseSlot(ip, id);
                } else if (PENDDING.equals(status)) {
                    Document sent = store.markSent(id, clock.getAsLong());
                    if (sent != null) {
                        LOG.info("task {} claimed but never sent (a handler died): sent now", id);
                        jobs.add(asyncJob(sent).toMap());
                    }
                }
            }
        }
        return jobs;
    }

    private Object lockOf(String ip) {
        return agentLocks.computeIfAbsent(ip, k -> new Object());
    }

    /** An agent record's task list ({@code ready} or {@code running}); empty when it has none. */
    static List<String> list(Document agent, String field) {
        List<String> ids = agent.getList(field, String.class);
        return ids == null ? List.of() : ids;
    }

    /** The asyncJob the Scheduler runs a queue task from. */
    static AsyncJob asyncJob(Document task) {
        return AsyncJob.of(task.getString("_id"), task.getString("ip"), AsyncJob.QUEUE, task.getString("mode"),
                task.getString("app"), task.getString("func"), task.getString("param"), task.getInteger("timeout", 90),
                task.getString("proxy"));
    }
}
