package org.elves.center.heartbeat;

import org.elves.center.common.PolledTable;
import org.elves.center.contract.AgentCronList;

import java.util.Map;

/**
 * The agent-side cron lists heartbeat answers carry, as the Cron component last gave them (route
 * heartbeat-agent-crons). Until Cron first answered, answers carry no list, so an agent never
 * drops crons because this Heartbeat just started.
 */
public class AgentCronTable extends PolledTable<Map<String, Object>> {
    private static final Map<String, Object> NONE = Map.copyOf(AgentCronList.empty().toMap());

    public AgentCronTable() {
        super("agent-side cron lists");
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Map<String, Object> parse(Map<String, Object> result) {
        return result.get("table") instanceof Map<?, ?> table ? Map.copyOf((Map<String, Object>) table) : Map.of();
    }

    /** The list for one agent (an empty one when it has none), or null while nothing is known. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> forIp(String ip) {
        Map<String, Object> table = value();
        if (table == null) {
            return null;
        }
        Map<String, Object> list = (Map<String, Object>) table.get(ip);
        return list != null ? list : NONE;
    }
}
