package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/**
 * Mode P: how the app's processor took a task's result, cast by the Scheduler to the task's
 * component (processorResult, to Queue or Cron) once the processor was called. The fields beside
 * the id are what Queue and Cron record with the task, under their wire names
 * ({@link #outcome()}).
 */
public record ProcessorResult(String id, boolean delivered, String error, long costMs) {

    /** {processor_flag, processor_error, processor_costtime}: what the task's record keeps. */
    public Map<String, Object> outcome() {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("processor_flag", String.valueOf(delivered));
        outcome.put("processor_error", error);
        outcome.put("processor_costtime", String.valueOf(costMs));
        return outcome;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.putAll(outcome());
        return body;
    }

    /**
     * @throws ElvesException [400.1] when the body names no task or its cost is not a number
     */
    public static ProcessorResult fromMap(Map<String, Object> body) {
        String id = text(body.get("id"));
        if (id.isEmpty()) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "a processor result needs an id");
        }
        String cost = text(body.get("processor_costtime"));
        try {
            return new ProcessorResult(id, "true".equals(text(body.get("processor_flag"))),
                    text(body.get("processor_error")), cost.isEmpty() ? 0 : Long.parseLong(cost));
        } catch (NumberFormatException e) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "processor_costtime must be milliseconds, got " + cost);
        }
    }
}
