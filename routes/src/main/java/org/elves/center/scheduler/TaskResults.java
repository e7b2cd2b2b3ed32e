package org.elves.center.scheduler;

import org.elves.center.rpc.Replies;
import org.elves.protocol.thrift.Reinstruct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A task's result in the reference's shape (§6.3), the same for the realtime answer and for the
 * taskResult/cronResult casts: {flag, error, result:{id, worker_flag, worker_message,
 * worker_costtime}}, numbers as text like the original's replies.
 */
public final class TaskResults {
    /**
     * Field of a body cast as a queue task's result that is no result: "true", a re-send
     * ({@code resend: true}) of a running task could not reach its agent; "false", a re-send of a
     * task whose agent had been unreachable reached it again. Queue notes either and keeps the task
     * running (its result may still come); Cron never re-sends.
     */
    public static final String RESEND_FAILED = "resend_failed";

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

    /** A re-send of a running task did not reach its agent: the error, marked {@link #RESEND_FAILED}. */
    public static Map<String, Object> resendFailed(String id, String error) {
        Map<String, Object> note = failed(id, error);
        note.put(RESEND_FAILED, "true");
        return note;
    }

    /** A re-send reached the agent again after it had been unreachable. */
    public static Map<String, Object> resendReached(String id) {
        Map<String, Object> note = Replies.ok(Map.of("id", id));
        note.put(RESEND_FAILED, "false");
        return note;
    }

    /** Whether a body is a re-send note ({@link #RESEND_FAILED}) rather than a task's result. */
    public static boolean isResendNote(Map<String, Object> body) {
        return body != null && body.containsKey(RESEND_FAILED);
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
