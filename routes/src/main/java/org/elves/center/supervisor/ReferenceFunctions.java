package org.elves.center.supervisor;

import org.bson.Document;
import org.elves.center.common.AgentSet;
import org.elves.center.rpc.Replies;
import org.elves.protocol.ElvesException;
import org.elves.protocol.ElvesTime;
import org.elves.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.elves.center.common.JobParams.text;
import static org.elves.center.supervisor.SupervisorRecords.existingApp;
import static org.elves.center.supervisor.SupervisorRecords.existingKey;
import static org.elves.center.supervisor.SupervisorRecords.grants;

/**
 * The reference's Supervisor functions (§6.3) its original clients call: getAuthKey,
 * validateAuth, appInfo, agentList, appAuthInfo, appAllInfo.
 */
public class ReferenceFunctions {
    private final SupervisorStore store;
    private final AgentCategories categories;
    private final PublishedTables tables;

    public ReferenceFunctions(SupervisorStore store, AgentCategories categories, PublishedTables tables) {
        this.store = store;
        this.categories = categories;
        this.tables = tables;
    }

    public Map<String, Object> getAuthKey(Map<String, Object> body) {
        Document key = existingKey(store, body);
        Map<String, Object> reply = Replies.ok(null);
        reply.put("auth_key", key.getString("secret"));
        return reply;
    }

    public Map<String, Object> validateAuth(Map<String, Object> body) {
        Document key = existingKey(store, body);
        String app = text(body.get("app"));
        if (!app.isEmpty() && store.app(app) == null) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, app);
        }
        Map<String, List<String>> grants = grants(key);
        String ip = text(body.get("ip"));
        boolean allowed = key.getBoolean("admin", false) || (app.isEmpty()
                ? ip.isEmpty() || grants.values().stream().anyMatch(a -> AgentSet.matches(categories.resolved(a), ip))
                : grants.containsKey(app) && (ip.isEmpty() || AgentSet.matches(categories.resolved(grants.get(app)), ip)));
        return Replies.ok(String.valueOf(allowed));
    }

    /** The app of this key (the reference binds a key to one app): its first grant. */
    public Map<String, Object> appInfo(Map<String, Object> body) {
        Document key = existingKey(store, body);
        Map<String, List<String>> grants = grants(key);
        if (grants.isEmpty()) {
            throw new ElvesException(ErrorCode.APP_NOT_FOUND, "no app granted to " + key.getString("_id"));
        }
        return Replies.ok(appSummary(existingApp(store, grants.keySet().iterator().next())));
    }

    /** The agents this key's apps may run on; "*" when one grant covers every agent. */
    public Map<String, Object> agentList(Map<String, Object> body) {
        Document key = existingKey(store, body);
        List<String> ips = new ArrayList<>();
        for (List<String> agents : grants(key).values()) {
            for (String ip : agents) {
                if (!ips.contains(ip)) {
                    ips.add(ip);
                }
            }
        }
        return Replies.ok(ips);
    }

    public Map<String, Object> appAllInfo(Map<String, Object> body) {
        List<Map<String, Object>> apps = new ArrayList<>();
        store.apps().forEach(app -> apps.add(appSummary(app)));
        return Replies.ok(apps);
    }

    private static Map<String, Object> appSummary(Document app) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("app", app.getString("_id"));
        a.put("app_name", app.getString("name"));
        a.put("app_ver", app.getString("online_version"));
        a.put("last_update_time", ElvesTime.format(app.get("update_time", 0L)));
        return a;
    }

    /** The reference's appAuthInfo: [{app, version, agentList}] of every app with an online version. */
    public Map<String, Object> appAuthInfo(Map<String, Object> body) {
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Map<String, Object> d : tables.deployments()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("app", d.get("app"));
            a.put("version", d.get("version"));
            a.put("agentList", d.get("agents"));
            apps.add(a);
        }
        return Replies.ok(apps);
    }
}
