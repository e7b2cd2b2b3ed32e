package org.elves.center.contract;

import org.elves.center.common.JobParams;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * asyncJobs, the tasks of one agent sent to the Scheduler together: {ip, jobs:[asyncJob]}. Cron
 * sends the runs due at one second this way (a thousand crons over twenty agents are twenty
 * casts, not a thousand).
 */
public record AsyncJobBatch(String ip, List<AsyncJob> jobs) {

    public Map<String, Object> toMap() {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("ip", ip);
        batch.put("jobs", jobs.stream().map(AsyncJob::toMap).toList());
        return batch;
    }

    /**
     * Every job must be a task for the batch's agent.
     *
     * @throws ElvesException [403.1] without an ip, or the refusal of the first job that is not
     */
    public static AsyncJobBatch fromMap(Map<String, Object> body) {
        return fromMap(body, refusal -> {
            throw refusal;
        });
    }

    /**
     * A job that is not a task for the batch's agent goes to {@code refused} and is left out, so
     * one bad job does not cost the others their run.
     *
     * @throws ElvesException [403.1] without an ip
     */
    @SuppressWarnings("unchecked")
    public static AsyncJobBatch fromMap(Map<String, Object> body, Consumer<ElvesException> refused) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        List<AsyncJob> jobs = new ArrayList<>();
        if (body.get("jobs") instanceof List<?> list) {
            for (Object item : list) {
                try {
                    AsyncJob job = AsyncJob.fromMap(item instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
                    if (!job.ip().equals(ip)) {
                        throw new ElvesException(ErrorCode.PARAM_IP, "task " + job.id() + " names agent " + job.ip());
                    }
                    jobs.add(job);
                } catch (ElvesException e) {
                    refused.accept(e);
                }
            }
        }
        return new AsyncJobBatch(ip, List.copyOf(jobs));
    }
}
