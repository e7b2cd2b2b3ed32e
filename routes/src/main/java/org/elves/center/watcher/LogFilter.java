package org.elves.center.watcher;

import com.mongodb.client.model.Filters;
import org.bson.conversions.Bson;
import org.elves.center.common.AgentSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * What a logs query asks for, as the MongoDB filter of {@code task_logs}: the task type, the
 * caller's filters, and the grants of the key that asks (an admin key: everything; else only
 * the apps it has a grant for, on the agents each grant covers: "*", addresses, networks).
 *
 * @param grants null for an admin key; else app → the agents the key may see it on
 */
record LogFilter(String type, String agentIp, String app, String func, String byAuthId, Long fromMs, Long toMs,
                 String resultFlags, Map<String, ? extends Collection<String>> grants) {

    Bson toBson() {
        List<Bson> all = new ArrayList<>();
        all.add(Filters.eq("type", type));
        if (notBlank(agentIp)) {
            all.add(Filters.eq("agent_ip", agentIp));
        }
        if (notBlank(app)) {
            all.add(Filters.eq("instruct", app));
        }
        if (notBlank(func)) {
            all.add(Filters.eq("func", func));
        }
        if (notBlank(byAuthId)) {
            all.add(Filters.eq("auth_id", byAuthId));
        }
        if (fromMs != null) {
            all.add(Filters.gte("starttime", new Date(fromMs)));
        }
        if (toMs != null) {
            all.add(Filters.lte("starttime", new Date(toMs)));
        }
        if (resultFlags != null && !resultFlags.isEmpty()
                && !(resultFlags.contains("0") && resultFlags.contains("1") && resultFlags.contains("2"))) {
            List<Integer> flags = new ArrayList<>();
            resultFlags.chars().distinct().forEach(c -> flags.add(c - '0'));
            all.add(Filters.in("result_flag", flags));
        }
        if (grants != null) {
            all.add(granted());
        }
        return Filters.and(all);
    }

    /** The records the key's grants cover; nothing at all for a key without grants. */
    private Bson granted() {
        List<Bson> apps = new ArrayList<>();
        grants.forEach((grantedApp, agents) -> {
            if (agents.contains(AgentSet.EVERY_AGENT)) {
                apps.add(Filters.eq("instruct", grantedApp));
                return;
            }
            List<Bson> where = new ArrayList<>();
            List<String> ips = new ArrayList<>();
            for (String entry : agents) {
                if (AgentSet.isNetwork(entry)) {
                    long[] range = AgentSet.range(entry);
                    where.add(Filters.and(Filters.gte("agent_ip_num", range[0]), Filters.lte("agent_ip_num", range[1])));
                } else if (AgentSet.isIp(entry)) {
                    ips.add(entry);
                }
            }
            if (!ips.isEmpty()) {
                where.add(Filters.in("agent_ip", ips));
            }
            if (!where.isEmpty()) {
                apps.add(Filters.and(Filters.eq("instruct", grantedApp), Filters.or(where)));
            }
        });
        // no grant: a filter nothing matches
        return apps.isEmpty() ? Filters.eq("_id", new org.bson.types.ObjectId()) : Filters.or(apps);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
