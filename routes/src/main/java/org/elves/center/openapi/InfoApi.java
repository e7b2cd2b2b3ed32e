package org.elves.center.openapi;

import org.apache.camel.Exchange;
import org.elves.center.contract.AgentQuery;
import org.elves.center.rpc.Replies;
import org.elves.protocol.ApiSignature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The info endpoints (reference §3.4.1-3): the queries their flows send (openapi-info.camel.yaml
 * says to whom) and the reference's shapes of the answers. An admin key, or one granted every
 * agent, sees what the Heartbeat knows; another key what the Supervisor granted it.
 */
public class InfoApi {
    /** The detail while the Cron component is asked for the agent's crons. */
    public static final String AGENT_DETAIL = "ElvesAgentDetail";

    public boolean isAdmin(ApiCall call) {
        return call.request().key().admin();
    }

    public boolean seesEveryAgent(ApiCall call) {
        ApiKey key = call.request().key();
        return key.admin() || key.grants().values().stream().anyMatch(a -> a.contains(ApiKey.EVERY_AGENT));
    }

    /** A Heartbeat table query (appList, agentList): no parameters. */
    public Map<String, Object> tableQuery(ApiCall call) {
        return new LinkedHashMap<>();
    }

    /** A Supervisor query about the caller's key (appInfo, agentList): {auth_id}. */
    public Map<String, Object> keyQuery(ApiCall call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("auth_id", call.request().get(ApiSignature.AUTH_ID));
        return body;
    }

    /** The Heartbeat's app table as the reference's app list. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> apps(Map<String, Object> reply) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        List<Map<String, Object>> apps = new ArrayList<>();
        ((Map<String, Object>) reply.get("result")).forEach((app, info) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("app", app);
            entry.put("app_name", app);
            entry.put("app_ver", String.join(",", (List<String>) ((Map<String, Object>) info).get("versions")));
            entry.put("agents", ((Map<String, Object>) info).get("agents"));
            entry.put("last_update_time", "");
            apps.add(entry);
        });
        return Replies.ok(apps);
    }

    /** The Heartbeat's online agents as the reference's list of ips. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> agents(Map<String, Object> reply) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        List<String> ips = new ArrayList<>();
        for (Map<String, Object> agent : (List<Map<String, Object>>) reply.get("result")) {
            ips.add(String.valueOf(agent.get("ip")));
        }
        return Replies.ok(ips);
    }

    /** agentInfo {ip}; the checked call is kept for the showcron step. */
    public Map<String, Object> detailQuery(ApiCall call, Exchange exchange) {
        exchange.setProperty(ApiCall.class.getName(), call);
        return new AgentQuery(call.text("ip")).toMap();
    }

    /**
     * The reference's detail: the heartbeat answer without its apps field. With showcron=true
     * it is kept in {@link #AGENT_DETAIL} for {@link #cronListQuery} and {@link #withCronList}.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> detail(Map<String, Object> reply, Exchange exchange) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        Map<String, Object> info = new LinkedHashMap<>((Map<String, Object>) reply.get("result"));
        info.remove("apps");
        if (Boolean.TRUE.equals(call(exchange).value("showcron"))) {
            exchange.setProperty(AGENT_DETAIL, info);
        }
        return Replies.ok(info);
    }

    /** showcron: cronList {ip} for the agent of the detail. */
    public Map<String, Object> cronListQuery(Exchange exchange) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("ip", call(exchange).text("ip"));
        return query;
    }

    /** The detail with cronList's result (the cron ids, newest first) as cron_list; a failed list fails the call. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> withCronList(Map<String, Object> reply, Exchange exchange) {
        if (!Replies.isOk(reply)) {
            return reply;
        }
        Map<String, Object> info = new LinkedHashMap<>(exchange.getProperty(AGENT_DETAIL, Map.class));
        Object ids = reply.get("result");
        info.put("cron_list", ids instanceof List<?> ? ids : List.of());
        return Replies.ok(info);
    }

    private static ApiCall call(Exchange exchange) {
        return exchange.getProperty(ApiCall.class.getName(), ApiCall.class);
    }
}
