package org.elves.center.contract;

import org.elves.center.common.JobParams;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A question to the Heartbeat about one agent, {ip}: the Scheduler's getStatByIp before it
 * calls an agent (answered with an {@link AgentStatus}), and the agent lookups OpenAPI asks.
 */
public record AgentQuery(String ip) {

    public Map<String, Object> toMap() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ip", ip);
        return body;
    }

    /**
     * @throws ElvesException [403.1] without an ip
     */
    public static AgentQuery fromMap(Map<String, Object> body) {
        return new AgentQuery(JobParams.required(body, "ip", ErrorCode.PARAM_IP));
    }
}
