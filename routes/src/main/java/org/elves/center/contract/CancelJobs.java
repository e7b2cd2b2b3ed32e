package org.elves.center.contract;

import org.elves.center.common.JobParams;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cancelJobs, cast by Queue to the Scheduler when a queue is stopped: {ip, ids}, the tasks still
 * running on one agent, which the agent is asked to kill (their results come back as usual).
 */
public record CancelJobs(String ip, List<String> ids) {

    public Map<String, Object> toMap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", ip);
        body.put("ids", ids);
        return body;
    }

    /**
     * Blank ids are left out.
     *
     * @throws ElvesException [403.1] without an ip, [400.1] without any task id
     */
    public static CancelJobs fromMap(Map<String, Object> body) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        List<String> ids = body.get("ids") instanceof List<?> list
                ? list.stream().map(JobParams::text).filter(id -> !id.isEmpty()).toList() : List.of();
        if (ids.isEmpty()) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "cancelJobs needs task ids, got " + body);
        }
        return new CancelJobs(ip, ids);
    }
}
