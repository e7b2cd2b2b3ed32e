package org.elves.center.contract;

import org.elves.center.common.JobParams;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cronPush, cast by Cron to the Scheduler as soon as an agent's agent-side crons changed: {ip,
 * crons: the agent's new list}. The Scheduler hands it to the agent at once; the heartbeat
 * answers carry the same list for an agent that missed it.
 */
public record CronPush(String ip, AgentCronList crons) {

    public Map<String, Object> toMap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", ip);
        body.put("crons", crons.toMap());
        return body;
    }

    /**
     * @throws ElvesException [403.1] without an ip, [400.1] without a list
     */
    @SuppressWarnings("unchecked")
    public static CronPush fromMap(Map<String, Object> body) {
        String ip = JobParams.required(body, "ip", ErrorCode.PARAM_IP);
        if (!(body.get("crons") instanceof Map<?, ?> crons)) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "cronPush needs a crons list");
        }
        return new CronPush(ip, AgentCronList.fromMap((Map<String, Object>) crons));
    }
}
