package org.elves.center.heartbeat;

import org.elves.center.common.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent-side cron lists heartbeat answers carry, as the Cron component last gave them (route
 * heartbeat-agent-crons asks every few seconds with the version it holds; the table comes only
 * when it changed). Until Cron first answered, nothing is known: answers then carry no list, so an
 * agent never drops crons because this Heartbeat just started.
 */
public class AgentCronTable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCronTable.class);
    private static final Map<String, Object> NONE = emptyList();

    private volatile String version = "";
    private volatile Map<String, Object> byIp;
    private volatile boolean failing;

    /** The body of the agentCronTable call: the version held ("" before the first answer). */
    public Map<String, Object> query() {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("version", version);
        return q;
    }

    /** Cron's answer {version, changed, table}: keeps the table when it changed. */
    @SuppressWarnings("unchecked")
    public void answered(Map<String, Object> reply) {
        if (!Replies.isOk(reply) || !(reply.get("result") instanceof Map<?, ?> result)) {
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("agent-side cron lists: Cron answers again");
        }
        if (Boolean.TRUE.equals(result.get("changed")) && result.get("table") instanceof Map<?, ?> table) {
            byIp = Map.copyOf((Map<String, Object>) table);
            version = String.valueOf(result.get("version"));
            LOG.debug("agent-side cron lists of {} agents, version {}", byIp.size(), version);
        }
    }

    /** Cron did not answer: the lists held stay as they are. */
    public void failed(Exception e) {
        if (!failing) {
            failing = true;
            LOG.warn("agent-side cron lists not refreshed (kept as they are): {}", e.getMessage());
        }
    }

    /** The list for one agent (an empty one when it has none), or null while nothing is known. */
    public Map<String, Object> forIp(String ip) {
        Map<String, Object> table = byIp;
        if (table == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> list = (Map<String, Object>) table.get(ip);
        return list != null ? list : NONE;
    }

    private static Map<String, Object> emptyList() {
        Map<String, Object> list = new LinkedHashMap<>();
        // the same digest Cron gives an empty list (AgentCronLists.empty), so agents see no change
        list.put("version", org.elves.center.cron.AgentCronLists.empty().get("version"));
        list.put("crons", java.util.List.of());
        return Map.copyOf(list);
    }
}
