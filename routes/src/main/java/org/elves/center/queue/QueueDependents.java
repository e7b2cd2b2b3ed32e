package org.elves.center.queue;

import org.elves.center.common.TaskEvents;

import org.bson.Document;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.mongodb.client.model.Filters.eq;
import static org.elves.center.common.JobParams.text;
import static org.elves.center.queue.QueueStore.FINISH;
import static org.elves.center.queue.QueueStore.FINISHED;
import static org.elves.center.queue.QueueStore.RUNNING;
import static org.elves.center.queue.QueueStore.STOPPED;

/**
 * What an ended task means for the rest of its queue (G15, G16): a task is released only when its
 * parent finished with flag "true" and worker_flag "1"; the descendants of any other outcome end
 * {@code stopped}, marked skipped (the reference's terminal state, so original clients that poll
 * until every task is finish or stopped end); a queue finishes when none of its tasks is open.
 */
class QueueDependents {
    private final QueueStore store;
    private final TaskEvents events;

    QueueDependents(QueueStore store) {
        this(store, TaskEvents.none());
    }

    QueueDependents(QueueStore store, TaskEvents events) {
        this.store = store;
        this.events = events;
    }

    /** The children of a task that succeeded, made ready and put in their agents' lists; their agents. */
    Set<String> release(Document task, long now) {
        Set<String> ips = new LinkedHashSet<>();
        for (String childId : childIds(task)) {
            Document child = store.makeReady(childId, now);
            if (child != null) {
                store.enqueue(child.getString("ip"), List.of(childId));
                ips.add(child.getString("ip"));
            }
        }
        return ips;
    }

    /** Every descendant still pendding ends stopped, marked skipped; it never runs (G16). */
    void skipDescendants(Document parent, String reason, long now) {
        for (String childId : childIds(parent)) {
            if (store.skipPendding(childId, reason, now)) {
                events.phase(childId, "cancelled", Map.of("agent_sync_error", reason, "result_flag", 0));
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
    static String skipReason(String parentId, String what) {
        return ErrorCode.STOP_TASK_ERROR.text("skipped: depend task " + parentId + " " + what);
    }

    /**
     * {@code count} tasks of the queue ended; the queue finishes when none is open. The counter
     * only says when to look: the tasks are counted before the queue is marked finished, and a
     * counter left too high (a handler killed between the two updates) is settled by the sweep.
     */
    void closed(String queueId, int count, long now) {
        long open = 0;
        for (int i = 0; i < count; i++) {
            open = store.closeOne(queueId);
        }
        if (count > 0 && open <= 0 && store.countOpenTasks(queueId) == 0) {
            store.moveQueue(queueId, List.of(RUNNING), FINISHED, "finish_time", now);
        }
    }

    /**
     * Dependents of ended tasks still waiting (a handler died between recording a result and
     * releasing them, or inside a commit before the roots were marked ready): released (parent
     * succeeded) or skipped; running queues without open tasks finished.
     */
    void releaseBlocked(long now) {
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
}
