package org.elves.center.scheduler;

import org.elves.center.contract.TaskResult;
import org.elves.protocol.thrift.Reinstruct;

import java.util.Map;

/**
 * An agent's report as the {@link TaskResult} body the Scheduler casts to Queue or Cron and
 * answers a realtime task with (route scheduler.agent-result calls it by type).
 */
public final class TaskResults {
    private TaskResults() {
    }

    /** The worker ran (whatever it said): flag "true" and what the agent reported. */
    public static Map<String, Object> delivered(Reinstruct done) {
        return delivered(done.getIns() == null ? "" : done.getIns().getId(), done);
    }

    /** As {@link #delivered(Reinstruct)}, for the task of this id. */
    public static Map<String, Object> delivered(String id, Reinstruct done) {
        return TaskResult.delivered(id, String.valueOf(done.getFlag()), done.getResult() == null ? "" : done.getResult(),
                String.valueOf(done.getCosttime())).toMap();
    }

    /** The task id of a result body, or "" when it has none (a body is not refused for that here). */
    @SuppressWarnings("unchecked")
    public static String idOf(Map<String, Object> body) {
        if (body != null && body.get("result") instanceof Map<?, ?> result) {
            Object id = ((Map<String, Object>) result).get("id");
            return id == null ? "" : String.valueOf(id);
        }
        return "";
    }
}
