package org.elves.center.queue;

import org.apache.camel.Exchange;
import org.bson.Document;
import org.elves.center.common.TaskEvents;
import org.elves.center.contract.ProcessorResult;
import org.elves.center.contract.TaskResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static org.elves.center.common.JobParams.text;
import static org.elves.center.queue.QueueStore.FINISH;

/**
 * The results the Scheduler casts for queue tasks: each recorded once, whatever repeats; then the
 * task's agent slot is free and its dependents are released or skipped (G15, G16).
 */
public class QueueTaskResults {
    /** Mode P: the processor's outcome, in /queue/result of P tasks ("" until it is known). */
    static final List<String> PROCESSOR_FIELDS = List.of("processor_flag", "processor_error", "processor_costtime");
    private static final Logger LOG = LoggerFactory.getLogger(QueueTaskResults.class);

    private final QueueStore store;
    private final LongSupplier clock;
    private final AgentSlots slots;
    private final QueueDependents dependents;
    private final TaskEvents events;

    public QueueTaskResults(QueueStore store, LongSupplier clock, AgentSlots slots) {
        this(store, clock, slots, TaskEvents.none());
    }

    public QueueTaskResults(QueueStore store, LongSupplier clock, AgentSlots slots, TaskEvents events) {
        this.events = events;
        this.store = store;
        this.clock = clock;
        this.slots = slots;
        this.dependents = new QueueDependents(store, events);
    }

    /** A cast: nothing to answer. */
    public Map<String, Object> taskResult(Map<String, Object> body, Exchange exchange) {
        QueueOutcome.handOver(record(TaskResult.fromMap(body), clock.getAsLong()), exchange);
        return null;
    }

    /** A cast from the Scheduler (mode P): the processor's outcome, recorded with the task once. */
    public Map<String, Object> processorResult(Map<String, Object> body) {
        ProcessorResult result = ProcessorResult.fromMap(body);
        String id = result.id();
        if (!store.processorResult(id, new Document(result.outcome()))) {
            LOG.debug("processor result of task {} ignored: the task is unknown or has one already", id);
        }
        return null;
    }

    /** A task's result; recorded once, whatever repeats. */
    QueueOutcome record(TaskResult taskResult, long now) {
        String id = taskResult.id();
        if (taskResult.isResendNote()) {
            resendNoted(id, taskResult.resendFailed(), taskResult.error(), now);
            return QueueOutcome.of(null);
        }
        String flag = String.valueOf(taskResult.flag());
        String workerFlag = text(taskResult.workerFlag());
        Document result = new Document("flag", flag).append("error", taskResult.error())
                .append("worker_flag", workerFlag).append("worker_message", text(taskResult.workerMessage()))
                .append("worker_costtime", text(taskResult.workerCosttime())).append("exec_finish_time", now);
        if (!store.finish(id, result)) {
            Document known = store.task(id);
            if (known == null || !FINISH.equals(known.getString("status"))) {
                LOG.debug("result of task {} ignored: the task is unknown or ended otherwise", id);
                return QueueOutcome.of(null);
            }
            // recorded already: a repeat, or the redelivery of a result whose handler died after
            // recording it; the follow-up below is idempotent and completes what that one left
            LOG.debug("result of task {} recorded already; its dependents are checked again", id);
            return followUp(known, text(known.get("flag")), text(known.get("worker_flag")), now);
        }
        Document task = store.task(id);
        events.stored(taskResult, Map.of("type", "queue", "queue_id", task.getString("queue_id")));
        dependents.closed(task.getString("queue_id"), 1, now);
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
    private QueueOutcome followUp(Document task, String flag, String workerFlag, long now) {
        String id = task.getString("_id");
        Set<String> ips = new LinkedHashSet<>();
        // the agent has a free slot now
        ips.add(task.getString("ip"));
        store.releaseSlot(task.getString("ip"), id);
        if ("true".equals(flag) && "1".equals(workerFlag)) {
            ips.addAll(dependents.release(task, now));
        } else {
            dependents.skipDescendants(task, QueueDependents.skipReason(id, "failed"), now);
        }
        return new QueueOutcome(null, slots.send(ips));
    }
}
