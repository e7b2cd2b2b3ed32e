package org.elves.center.contract;

import org.elves.protocol.ElvesException;
import org.elves.protocol.ErrorCode;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.elves.center.common.JobParams.text;

/**
 * The Heartbeat's answer about one agent (the result of getStatByIp), by which the Scheduler
 * decides whether and on which port to call it: {ip, online "true"/"false", last_hb_time, port,
 * apps:{app: version}}. A Heartbeat warming up answers an agent it has not heard from yet {ip,
 * online "unknown", warmup_left_ms}: its first beat may be on its way, ask again within that time.
 * Fields an answer lacks are null.
 */
public record AgentStatus(String ip, String online, String lastHbTime, Integer port, Map<String, Object> apps,
                          Long warmupLeftMs) {
    public static final String UNKNOWN = "unknown";

    /** An agent this Heartbeat heard from. */
    public static AgentStatus known(String ip, boolean online, String lastHbTime, int port, Map<String, Object> apps) {
        return new AgentStatus(ip, String.valueOf(online), lastHbTime, port, apps, null);
    }

    /** An agent not heard from while the Heartbeat is warming up for this long still. */
    public static AgentStatus warmingUp(String ip, long leftMs) {
        return new AgentStatus(ip, UNKNOWN, null, null, null, leftMs);
    }

    public boolean isOnline() {
        return "true".equals(online);
    }

    public boolean isUnknown() {
        return UNKNOWN.equals(online);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("ip", ip);
        stat.put("online", online);
        putIfSet(stat, "last_hb_time", lastHbTime);
        putIfSet(stat, "port", port);
        putIfSet(stat, "apps", apps);
        putIfSet(stat, "warmup_left_ms", warmupLeftMs);
        return stat;
    }

    /**
     * @throws ElvesException [400.1] without "online": nothing could be decided
     */
    @SuppressWarnings("unchecked")
    public static AgentStatus fromMap(Map<String, Object> body) {
        String online = text(body.get("online"));
        if (online.isEmpty()) {
            throw new ElvesException(ErrorCode.REQUEST_MALFORMED, "an agent status needs online, got " + body.keySet());
        }
        return new AgentStatus(body.get("ip") == null ? null : text(body.get("ip")), online,
                body.get("last_hb_time") == null ? null : text(body.get("last_hb_time")),
                body.get("port") instanceof Number port ? port.intValue() : null,
                body.get("apps") instanceof Map<?, ?> apps ? (Map<String, Object>) apps : null,
                body.get("warmup_left_ms") instanceof Number left ? left.longValue() : null);
    }

    private static void putIfSet(Map<String, Object> stat, String key, Object value) {
        if (value != null) {
            stat.put(key, value);
        }
    }
}
