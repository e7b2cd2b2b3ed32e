package org.elves.center.scheduler;

import org.elves.center.common.Replies;
import org.elves.protocol.thrift.Reinstruct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's result in the reference's shape (§6.3), the same for the realtime answer and for the
 * taskResult/cronResult casts: {flag, error, result:{id, worker_flag, worker_message,
 * worker_costtime}}, numbers as text like the original's replies.
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
        return Replies.ok(result(id, done));
    }

    /** The task did not reach a worker: flag "false", the coded error, and only the task's id. */
    public static Map<String, Object> failed(String id, String error) {
        Map<String, Object> answer = Replies.failure(error);
        Map<String, Object> result = new LinkedHashMap<>(2);
        result.put("id", id);
        answer.put("result", result);
        return answer;
    }

    private static Map<String, Object> result(String id, Reinstruct done) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put("worker_flag", String.valueOf(done.getFlag()));
        result.put("worker_message", done.getResult() == null ? "" : done.getResult());
        result.put("worker_costtime", String.valueOf(done.getCosttime()));
        return result;
    }

    /** The task id of a result body, or "" when it has none. */
    @SuppressWarnings("unchecked")
    public static String idOf(Map<String, Object> body) {
        if (body != null && body.get("result") instanceof Map<?, ?> result) {
            Object id = ((Map<String, Object>) result).get("id");
            return id == null ? "" : String.valueOf(id);
        }
        return "";
    }
}
