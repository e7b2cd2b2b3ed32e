package org.elves.center.cron;

import org.bson.Document;
import org.elves.center.contract.AgentCronList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link AgentCronList}s of agents, from their started agent-side crons as the store keeps
 * them: the argument of AgentService.cronSync and the "crons" of a heartbeat answer.
 */
public final class AgentCronLists {
    private static final List<String> FIELDS = List.of("app", "func", "param", "timeout", "proxy", "mode", "rule", "timezone");

    private AgentCronLists() {
    }

    /** The list of one agent, from its started agent-side crons. */
    public static AgentCronList list(List<Document> crons) {
        List<Map<String, Object>> entries = new ArrayList<>();
        crons.stream().sorted(Comparator.comparing(c -> c.getString("_id"))).forEach(cron -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", cron.getString("_id"));
            for (String field : FIELDS) {
                entry.put(field, cron.get(field));
            }
            entries.add(entry);
        });
        return AgentCronList.of(entries);
    }

    /** Every agent's list, by ip (the table the Heartbeat asks for). */
    public static Map<String, Object> table(List<Document> crons) {
        Map<String, List<Document>> byIp = new TreeMap<>();
        for (Document cron : crons) {
            byIp.computeIfAbsent(cron.getString("ip"), ip -> new ArrayList<>()).add(cron);
        }
        Map<String, Object> table = new LinkedHashMap<>();
        byIp.forEach((ip, list) -> table.put(ip, list(list).toMap()));
        return table;
    }
}
