package org.elves.center.scheduler;

import org.elves.center.contract.TaskResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of the task results this Scheduler forwarded lately, so that one result reaches Queue or
 * Cron once: an agent reports a repeated task id's answer again, retries a report whose
 * acknowledgement it lost, and a send failure cast by the Scheduler may be followed by the
 * agent's own report. Bounded (oldest ids forgotten first) and per instance; Queue will also
 * dedupe by task id in MongoDB, which covers several Scheduler instances and restarts.
 */
public class RecentResults {
    private final Map<String, Boolean> seen;

    public RecentResults(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("elves.scheduler.result-memory must be at least 1, got " + capacity);
        }
        this.seen = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * True when a result for this body's task id was forwarded already; otherwise the id is
     * remembered (claimed) and false returned. A result without an id cannot be matched and is
     * never a repeat; a re-send note ({@link TaskResult#RESEND_FAILED}) is no result and claims
     * nothing, so the agent's real result, once it reports, still goes through.
     */
    public boolean repeated(Map<String, Object> body) {
        String id = TaskResults.idOf(body);
        if (id.isEmpty() || body.containsKey(TaskResult.RESEND_FAILED)) {
            return false;
        }
        synchronized (seen) {
            return seen.putIfAbsent(id, Boolean.TRUE) != null;
        }
    }

    /** The result of this task id could not be forwarded after all: a later report of it must go through. */
    public void forget(String id) {
        synchronized (seen) {
            seen.remove(id);
        }
    }

    int size() {
        synchronized (seen) {
            return seen.size();
        }
    }
}
