package org.elves.center.contract;

import org.elves.center.rpc.Replies;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/**
 * A task's result as the Scheduler casts it to Queue (taskResult) and Cron (cronResult), and as
 * it answers a realtime task: {flag, error, result:{id, worker_flag, worker_message,
 * worker_costtime}}, numbers as text like the reference's replies. A task that reached no worker
 * has no worker fields (null here, absent on the wire). A re-send note ({@link #RESEND_FAILED})
 * is no result: Queue only notes whether a running task's agent could be reached again.
 */
public record TaskResult(boolean flag, String error, String id, String workerFlag, String workerMessage,
                         String workerCosttime, Boolean resendFailed) {
    /** The wire field of a re-send note: "true" not reached, "false" reached again. */
    public static final String RESEND_FAILED = "resend_failed";

    /** The worker ran (whatever it said). */
    public static TaskResult delivered(String id, String workerFlag, String workerMessage, String workerCosttime) {
        return new TaskResult(true, "", id, workerFlag, workerMessage, workerCosttime, null);
    }

    /** The task did not reach a worker: the coded error and only the task's id. */
    public static TaskResult failed(String id, String error) {
        return new TaskResult(false, error, id, null, null, null, null);
    }

    /** A re-send of a running task did not reach its agent. */
    public static TaskResult resendFailed(String id, String error) {
        return new TaskResult(false, error, id, null, null, null, true);
    }

    /** A re-send reached the agent again after it had been unreachable. */
    public static TaskResult resendReached(String id) {
        return new TaskResult(true, "", id, null, null, null, false);
    }

    public boolean isResendNote() {
        return resendFailed != null;
    }

    /** Whether the worker ran and reported success: what releases a queue task's dependents. */
    public boolean succeeded() {
        return flag && "1".equals(workerFlag);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        if (workerFlag != null) {
            result.put("worker_flag", workerFlag);
            result.put("worker_message", workerMessage);
            result.put("worker_costtime", workerCosttime);
        }
        Map<String, Object> body = flag ? Replies.ok(result) : Replies.failure(error);
        if (!flag) {
            body.put("result", result);
        }
        if (resendFailed != null) {
            body.put(RESEND_FAILED, String.valueOf(resendFailed));
        }
        return body;
    }

    /**
     * @throws ElvesException [400.1] when the body names no task: nothing could be recorded
     */
    @SuppressWarnings("unchecked")
    public static TaskResult fromMap(Map<String, Object> body) {
        Map<String, Object> result = body.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String id = text(result.get("id"));
        if (id.isEmpty()) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "a task result needs result.id");
        }
        boolean worker = result.containsKey("worker_flag");
        Object note = body.get(RESEND_FAILED);
        return new TaskResult(Replies.isOk(body), text(body.get("error")), id,
                worker ? text(result.get("worker_flag")) : null,
                worker ? text(result.get("worker_message")) : null,
                worker ? text(result.get("worker_costtime")) : null,
                note == null ? null : "true".equals(text(note)));
    }
}
